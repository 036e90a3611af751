{#- Health returns in the long measure shape, from current submissions only.

    Fingertips: a measure `fingertips_<indicator id>` for every indicator in the measure
    catalogue, taken from the headline breakdown (no category; Persons, or the only sex an
    indicator has; All ages, or the indicator's own age band such as 19+ yrs), for the
    areas the warehouse reports on. When two current exports hold the same indicator, area
    and period, the later submission wins. Suppressed values stay null with Fingertips' note.

    One You: referrals, One You Your Home clients and goals set per quarter and financial
    year (the sum of the quarters reported, 4 expected), and goals achieved as a percentage
    of goals set.

    Care navigation: interventions accepted per locality (district) and month and per
    financial year (12 months expected), and the acceptance rate, accepted as a percentage
    of offered, from practices that reported both. -#}
with

fingertips as (
    select * from {{ ref('stg_health__fingertips_indicator_values') }}
),

one_you as (
    select * from {{ ref('stg_health__one_you_quarters') }}
),

care_navigation as (
    select * from {{ ref('stg_health__care_navigation_months') }}
),

catalogue as (
    select * from {{ ref('measure_catalogue') }}
),

areas as (
    select * from {{ ref('areas') }}
),

fingertips_current as (
    select * from fingertips
    where category_type is null
),

fingertips_breakdowns as (
    select
        indicator_id,
        sex,
        age,
        count(*) as row_count
    from fingertips_current
    group by indicator_id, sex, age
),

fingertips_sexes as (
    select
        indicator_id,
        count(distinct sex) as sex_count
    from fingertips_current
    group by indicator_id
),

fingertips_headline as (
    select
        fingertips_breakdowns.indicator_id,
        fingertips_breakdowns.sex,
        fingertips_breakdowns.age
    from fingertips_breakdowns
    inner join fingertips_sexes
        on fingertips_breakdowns.indicator_id = fingertips_sexes.indicator_id
    where fingertips_breakdowns.sex = 'Persons' or fingertips_sexes.sex_count = 1
    qualify row_number() over (
        partition by fingertips_breakdowns.indicator_id
        order by
            fingertips_breakdowns.sex = 'Persons' desc,
            fingertips_breakdowns.age = 'All ages' desc,
            fingertips_breakdowns.row_count desc,
            fingertips_breakdowns.age asc
    ) = 1
),

fingertips_latest as (
    select fingertips_current.*
    from fingertips_current
    inner join fingertips_headline
        on
            fingertips_current.indicator_id = fingertips_headline.indicator_id
            and fingertips_current.sex = fingertips_headline.sex
            and fingertips_current.age = fingertips_headline.age
    qualify row_number() over (
        partition by fingertips_current.indicator_id, fingertips_current.area_code, fingertips_current.period_id
        order by fingertips_current.submission_id desc, fingertips_current.source_row asc
    ) = 1
),

fingertips_measures as (
    select
        fingertips_latest.measure_id,
        fingertips_latest.area_code,
        fingertips_latest.period_id,
        fingertips_latest.period_type,
        fingertips_latest.period_start,
        fingertips_latest.period_end,
        fingertips_latest.numerator,
        fingertips_latest.denominator,
        fingertips_latest.value,
        catalogue.unit,
        [fingertips_latest.submission_id] as submission_ids,
        1 as parts_received,
        1 as parts_expected,
        fingertips_latest.value_note
    from fingertips_latest
    inner join catalogue
        on fingertips_latest.measure_id = catalogue.measure_id
    inner join areas
        on fingertips_latest.area_code = areas.area_code
),

one_you_current as (
    select * from one_you
),

one_you_figures as (
    select
        'one_you_referrals' as measure_id,
        area_code,
        financial_year,
        period_id,
        quarter_start,
        quarter_end,
        one_you_kent_referrals as numerator,
        null::bigint as denominator,
        submission_id
    from one_you_current
    union all
    select
        'one_you_your_home_clients' as measure_id,
        area_code,
        financial_year,
        period_id,
        quarter_start,
        quarter_end,
        your_home_clients as numerator,
        null::bigint as denominator,
        submission_id
    from one_you_current
    union all
    select
        'one_you_goals_set' as measure_id,
        area_code,
        financial_year,
        period_id,
        quarter_start,
        quarter_end,
        goals_set as numerator,
        null::bigint as denominator,
        submission_id
    from one_you_current
    union all
    select
        'one_you_goals_achieved_pct' as measure_id,
        area_code,
        financial_year,
        period_id,
        quarter_start,
        quarter_end,
        case when goals_set is not null then goals_achieved end as numerator,
        case when goals_achieved is not null then goals_set end as denominator,
        submission_id
    from one_you_current
),

one_you_quarters as (
    select
        measure_id,
        area_code,
        period_id,
        'quarter' as period_type,
        quarter_start as period_start,
        quarter_end as period_end,
        numerator::double as numerator,
        denominator::double as denominator,
        case
            when measure_id = 'one_you_goals_achieved_pct' then 100.0 * numerator / nullif(denominator, 0)
            else numerator::double
        end as value,
        case when measure_id = 'one_you_goals_achieved_pct' then 'percent' else 'count' end as unit,
        [submission_id] as submission_ids,
        case when numerator is null then 0 else 1 end as parts_received,
        1 as parts_expected,
        case when numerator is null then 'Not reported in the return' end as value_note
    from one_you_figures
),

one_you_years as (
    select
        measure_id,
        area_code,
        financial_year as period_id,
        'financial_year' as period_type,
        make_date(left(financial_year, 4)::integer, 4, 1) as period_start,
        make_date(left(financial_year, 4)::integer + 1, 3, 31) as period_end,
        sum(numerator)::double as numerator,
        sum(denominator)::double as denominator,
        case
            when measure_id = 'one_you_goals_achieved_pct'
                then 100.0 * sum(numerator) / nullif(sum(denominator), 0)
            else sum(numerator)::double
        end as value,
        case when measure_id = 'one_you_goals_achieved_pct' then 'percent' else 'count' end as unit,
        list_sort(list_distinct(list(submission_id))) as submission_ids,
        count(numerator) as parts_received,
        4 as parts_expected
    from one_you_figures
    group by measure_id, area_code, financial_year
),

care_navigation_current as (
    select
        care_navigation.*,
        areas.area_code
    from care_navigation
    inner join areas
        on care_navigation.locality = areas.area_name
),

care_navigation_months as (
    select
        area_code,
        financial_year,
        period_id,
        month_start,
        sum(interventions_accepted) as accepted,
        sum(interventions_accepted) filter (where interventions_offered is not null) as accepted_of_offered,
        sum(interventions_offered) filter (where interventions_accepted is not null) as offered,
        count(*) as practices,
        count(interventions_accepted) as practices_reporting,
        list_sort(list_distinct(list(submission_id))) as submission_ids
    from care_navigation_current
    group by area_code, financial_year, period_id, month_start
),

care_navigation_figures as (
    select
        'care_navigation_interventions_accepted' as measure_id,
        area_code,
        financial_year,
        period_id,
        month_start,
        accepted as numerator,
        null::bigint as denominator,
        practices,
        practices_reporting,
        submission_ids
    from care_navigation_months
    union all
    select
        'care_navigation_acceptance_pct' as measure_id,
        area_code,
        financial_year,
        period_id,
        month_start,
        accepted_of_offered as numerator,
        offered as denominator,
        practices,
        practices_reporting,
        submission_ids
    from care_navigation_months
),

care_navigation_month_measures as (
    select
        measure_id,
        area_code,
        period_id,
        'month' as period_type,
        month_start as period_start,
        last_day(month_start) as period_end,
        numerator::double as numerator,
        denominator::double as denominator,
        case
            when measure_id = 'care_navigation_acceptance_pct' then 100.0 * numerator / nullif(denominator, 0)
            else numerator::double
        end as value,
        case when measure_id = 'care_navigation_acceptance_pct' then 'percent' else 'count' end as unit,
        submission_ids,
        case when numerator is null then 0 else 1 end as parts_received,
        1 as parts_expected,
        case
            when practices_reporting < practices
                then 'Incomplete: ' || practices_reporting || ' of ' || practices || ' practices reported'
        end as value_note
    from care_navigation_figures
),

care_navigation_years as (
    select
        measure_id,
        area_code,
        financial_year as period_id,
        'financial_year' as period_type,
        make_date(left(financial_year, 4)::integer, 4, 1) as period_start,
        make_date(left(financial_year, 4)::integer + 1, 3, 31) as period_end,
        sum(numerator)::double as numerator,
        sum(denominator)::double as denominator,
        case
            when measure_id = 'care_navigation_acceptance_pct'
                then 100.0 * sum(numerator) / nullif(sum(denominator), 0)
            else sum(numerator)::double
        end as value,
        case when measure_id = 'care_navigation_acceptance_pct' then 'percent' else 'count' end as unit,
        list_sort(list_distinct(flatten(list(submission_ids)))) as submission_ids,
        count(numerator) as parts_received,
        12 as parts_expected
    from care_navigation_figures
    group by measure_id, area_code, financial_year
),

years as (
    select * from one_you_years
    union all by name
    select * from care_navigation_years
),

years_noted as (
    select
        *,
        case
            when parts_received < parts_expected
                then
                    'Incomplete: ' || parts_received || ' of ' || parts_expected
                    || case when parts_expected = 4 then ' quarters' else ' months' end || ' received'
        end as value_note
    from years
),

unioned as (
    select * from fingertips_measures
    union all by name
    select * from one_you_quarters
    union all by name
    select * from years_noted
    union all by name
    select * from care_navigation_month_measures
)

select * from unioned

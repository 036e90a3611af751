{#- The housing returns in the long measure shape, from current submissions only.

    Homelessness positive outcomes (H-CLIC): prevention duties ended with accommodation
    secured (P1 stayed + moved) plus relief duties ended with accommodation secured (R1), per
    authority and quarter, then per financial year. A figure MHCLG shows as `..` makes the
    quarter, and every total containing it, missing with a note: never a smaller number.

    Affordable homes (Live Table 1011): completions per authority and financial year, each
    year from the latest release that covers it. "Genuinely affordable" homes are those let
    at social rent or affordable rent: the council counts homes with rents at or below
    housing benefit level, affordable rents in the district are capped at that level, and
    Live Table 1011 has no finer split. Shared ownership, intermediate rent, affordable home
    ownership and First Homes are affordable but not genuinely affordable.

    Private sector housing grants (the council's return): completed and value in pounds by
    grant scheme, per quarter and financial year, for the home district only.

    Kent is the sum of its 12 districts; only areas in the areas seed are emitted. -#}
with

homelessness_figures as (
    select * from {{ ref('stg_housing__homelessness_figures') }}
),

affordable_supply as (
    select * from {{ ref('stg_housing__affordable_supply_records') }}
),

submissions as (
    select * from {{ ref('stg_ledger__submissions') }}
),

grants as (
    select * from {{ ref('stg_housing__private_sector_grants') }}
    where grant_scheme is not null
),

areas as (
    select * from {{ ref('areas') }}
),

kent_districts as (
    select
        area_code,
        parent_area_code
    from areas
    where is_kent_district
),

outcome_parts as (
    select
        area_code,
        quarter_id,
        quarter_start,
        quarter_end,
        financial_year,
        submission_id,
        is_provisional,
        figure,
        figure_note
    from homelessness_figures
    where
        (table_id = 'P1' and figure_key in ('secured_stayed', 'secured_moved'))
        or (table_id = 'R1' and figure_key = 'secured')
),

authority_quarters as (
    select
        area_code,
        quarter_id,
        quarter_start,
        quarter_end,
        financial_year,
        case when count(figure) = 3 then sum(figure) end as outcomes,
        min(submission_id) as submission_id,
        bool_or(is_provisional) as is_provisional,
        case
            when count(*) < 3 then 'the authority is missing from table P1 or R1'
            when count(figure) < 3 then min(figure_note)
        end as missing_note
    from outcome_parts
    group by all
),

kent_quarters as (
    select
        kent_districts.parent_area_code as area_code,
        authority_quarters.quarter_id,
        authority_quarters.quarter_start,
        authority_quarters.quarter_end,
        authority_quarters.financial_year,
        case
            when count(authority_quarters.outcomes) = 12 then sum(authority_quarters.outcomes)
        end as outcomes,
        min(authority_quarters.submission_id) as submission_id,
        bool_or(authority_quarters.is_provisional) as is_provisional,
        case
            when count(authority_quarters.outcomes) < 12
                then
                    (12 - count(authority_quarters.outcomes))
                    || ' of the 12 Kent districts have no figure'
        end as missing_note
    from authority_quarters
    inner join kent_districts
        on authority_quarters.area_code = kent_districts.area_code
    group by all
),

reported_authority_quarters as (
    select authority_quarters.*
    from authority_quarters
    inner join areas
        on authority_quarters.area_code = areas.area_code
),

outcome_quarters as (
    select * from reported_authority_quarters
    union all
    select * from kent_quarters
),

homelessness_quarterly as (
    select
        'homelessness_positive_outcomes' as measure_id,
        area_code,
        quarter_id as period_id,
        'quarter' as period_type,
        quarter_start as period_start,
        quarter_end as period_end,
        outcomes as numerator,
        null::double as denominator,
        outcomes::double as value,
        'count' as unit,
        [submission_id] as submission_ids,
        1 as parts_received,
        1 as parts_expected,
        is_provisional,
        missing_note,
        case
            when missing_note is not null then 'No figure: ' || missing_note
            when is_provisional then 'Provisional (P): MHCLG will revise it next quarter'
        end as value_note
    from outcome_quarters
),

homelessness_yearly as (
    select
        measure_id,
        area_code,
        {{ financial_year('period_start') }} as period_id,
        'financial_year' as period_type,
        min({{ financial_year_start('period_start') }}) as period_start,
        min({{ financial_year_start('period_start') }}) + interval 1 year - interval 1 day as period_end,
        case when count(value) = count(*) then sum(numerator) end as numerator,
        null::double as denominator,
        case when count(value) = count(*) then sum(value) end as value,
        'count' as unit,
        list_sort(flatten(list(submission_ids))) as submission_ids,
        count(*) as parts_received,
        4 as parts_expected,
        case
            when count(value) < count(*)
                then
                    'No figure: ' || min(missing_note) || ' for '
                    || (count(*) - count(value)) || ' of 4 quarters'
            when count(*) < 4 then 'Incomplete: ' || count(*) || ' of 4 quarters received'
            when bool_or(is_provisional) then 'Includes provisional (P) quarters'
        end as value_note
    from homelessness_quarterly
    group by measure_id, area_code, {{ financial_year('period_start') }}
),

release_years as (
    select distinct
        affordable_supply.financial_year,
        submissions.period as release_period,
        affordable_supply.submission_id
    from affordable_supply
    inner join submissions
        on affordable_supply.submission_id = submissions.submission_id
),

latest_releases as (
    select
        financial_year,
        submission_id
    from release_years
    qualify row_number() over (
        partition by financial_year order by release_period desc, submission_id desc
    ) = 1
),

completions as (
    select
        affordable_supply.area_code,
        affordable_supply.financial_year,
        affordable_supply.financial_year_start,
        affordable_supply.submission_id,
        affordable_supply.units,
        affordable_supply.units_note,
        lower(affordable_supply.tenure) in (
            'social rent', 'affordable rent', 'london affordable rent'
        ) as is_genuinely_affordable
    from affordable_supply
    inner join latest_releases
        on
            affordable_supply.financial_year = latest_releases.financial_year
            and affordable_supply.submission_id = latest_releases.submission_id
    where affordable_supply.is_completion
),

supply_measures as (
    select 'affordable_homes_delivered' as measure_id
    union all
    select 'genuinely_affordable_homes_delivered' as measure_id
),

authority_spine as (
    select
        supply_measures.measure_id,
        areas.area_code,
        latest_releases.financial_year,
        make_date(left(latest_releases.financial_year, 4)::integer, 4, 1) as period_start,
        latest_releases.submission_id
    from supply_measures
    cross join areas
    cross join latest_releases
    where areas.area_type in ('district', 'unitary')
),

completion_areas as (
    select
        area_code,
        financial_year,
        units,
        units_note,
        is_genuinely_affordable
    from completions
    union all
    select
        kent_districts.parent_area_code as area_code,
        completions.financial_year,
        completions.units,
        completions.units_note,
        completions.is_genuinely_affordable
    from completions
    inner join kent_districts
        on completions.area_code = kent_districts.area_code
),

completions_counted as (
    select
        supply_measures.measure_id,
        completion_areas.area_code,
        completion_areas.financial_year,
        count(*) as record_count,
        count(completion_areas.units) as units_given,
        sum(completion_areas.units) as units,
        min(completion_areas.units_note) as units_note
    from completion_areas
    cross join supply_measures
    where
        supply_measures.measure_id = 'affordable_homes_delivered'
        or completion_areas.is_genuinely_affordable
    group by all
),

kent_spine as (
    select distinct
        authority_spine.measure_id,
        kent_districts.parent_area_code as area_code,
        authority_spine.financial_year,
        authority_spine.period_start,
        authority_spine.submission_id
    from authority_spine
    inner join kent_districts
        on authority_spine.area_code = kent_districts.area_code
),

supply_spine as (
    select * from authority_spine
    union all
    select * from kent_spine
),

supply_yearly as (
    select
        spine.measure_id,
        spine.area_code,
        spine.financial_year as period_id,
        'financial_year' as period_type,
        spine.period_start,
        spine.period_start + interval 1 year - interval 1 day as period_end,
        case
            when coalesce(counted.units_given, 0) = coalesce(counted.record_count, 0)
                then coalesce(counted.units, 0)
        end as numerator,
        null::double as denominator,
        case
            when coalesce(counted.units_given, 0) = coalesce(counted.record_count, 0)
                then coalesce(counted.units, 0)::double
        end as value,
        'count' as unit,
        [spine.submission_id] as submission_ids,
        1 as parts_received,
        1 as parts_expected,
        case
            when counted.units_given < counted.record_count
                then 'Not available: ' || counted.units_note
        end as value_note
    from supply_spine as spine
    left join completions_counted as counted
        on
            spine.measure_id = counted.measure_id
            and spine.area_code = counted.area_code
            and spine.financial_year = counted.financial_year
),

grant_figures as (
    select
        grant_scheme || '_grants_completed' as measure_id,
        'count' as unit,
        financial_year,
        financial_year_start,
        quarter,
        grants_completed::double as figure,
        figure_note,
        submission_id
    from grants
    union all
    select
        grant_scheme || '_grants_value_pounds' as measure_id,
        'pounds' as unit,
        financial_year,
        financial_year_start,
        quarter,
        value_pounds::double as figure,
        figure_note,
        submission_id
    from grants
),

grants_quarterly as (
    select
        measure_id,
        {{ home_area('district') }} as area_code,
        financial_year || ' ' || quarter as period_id,
        'quarter' as period_type,
        (financial_year_start + to_months(3 * (right(quarter, 1)::integer - 1)))::date
            as period_start,
        last_day(financial_year_start + to_months(3 * (right(quarter, 1)::integer - 1) + 2))
            as period_end,
        figure as numerator,
        null::double as denominator,
        figure as value,
        unit,
        [submission_id] as submission_ids,
        1 as parts_received,
        1 as parts_expected,
        case when figure is null then 'Not available: ' || figure_note end as value_note
    from grant_figures
    where quarter is not null
),

grants_yearly as (
    select
        measure_id,
        {{ home_area('district') }} as area_code,
        financial_year as period_id,
        'financial_year' as period_type,
        min(financial_year_start) as period_start,
        min(financial_year_start) + interval 1 year - interval 1 day as period_end,
        case when count(figure) = count(*) then round(sum(figure), 2) end as numerator,
        null::double as denominator,
        case when count(figure) = count(*) then round(sum(figure), 2) end as value,
        any_value(unit) as unit,
        list_sort(list(distinct submission_id)) as submission_ids,
        case when bool_or(quarter is null) then 4 else count(distinct quarter) end as parts_received,
        4 as parts_expected,
        case
            when count(figure) < count(*) then 'Not available: ' || min(figure_note)
            when not bool_or(quarter is null) and count(distinct quarter) < 4
                then 'Incomplete: ' || count(distinct quarter) || ' of 4 quarters received'
        end as value_note
    from grant_figures
    group by measure_id, financial_year
),

unioned as (
    select * exclude (is_provisional, missing_note) from homelessness_quarterly
    union all by name
    select * from homelessness_yearly
    union all by name
    select * from supply_yearly
    union all by name
    select * from grants_quarterly
    union all by name
    select * from grants_yearly
)

select * from unioned

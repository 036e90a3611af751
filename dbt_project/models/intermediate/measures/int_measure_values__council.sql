{#- The council's own returns and the partner measure returns, per financial year for
    the home district: parking enforcement actions (months added; a missing month makes the year
    incomplete), Community Grant Scheme organisations supported, pounds awarded and share of
    projects meeting their targets (of those whose monitoring is back), the share of
    Economic Development Strategy actions rated green, and every figure partners sent on
    the generic template for a measure the catalogue assigns to that return. -#}
with

parking_months as (
    select * from {{ ref('stg_council__parking_enforcement_months') }}
),

grants as (
    select * from {{ ref('stg_council__community_grants') }}
),

economic_actions as (
    select * from {{ ref('stg_council__economic_development_actions') }}
),

partner_values as (
    select * from {{ ref('stg_council__partner_measure_values') }}
),

catalogue as (
    select * from {{ ref('measure_catalogue') }}
),

areas as (
    select * from {{ ref('areas') }}
),

parking_years as (
    select
        'parking_enforcement_actions' as measure_id,
        financial_year as period_id,
        sum(enforcement_actions) as numerator,
        null::double as denominator,
        sum(enforcement_actions)::double as value,
        'count' as unit,
        list_sort(list(distinct submission_id)) as submission_ids,
        count(enforcement_actions) as parts_received,
        12 as parts_expected,
        case
            when count(enforcement_actions) < 12
                then 'Incomplete: ' || count(enforcement_actions) || ' of 12 months reported'
        end as value_note
    from parking_months
    group by financial_year
),

grant_years as (
    select
        financial_year,
        count(distinct organisation_key) filter (where grant_pounds > 0) as organisations,
        sum(grant_pounds) as pounds,
        count(*) filter (where targets_met = 'yes') as projects_meeting_targets,
        count(targets_met) as projects_monitored,
        count(*) - count(targets_met) as projects_outstanding,
        list_sort(list(distinct submission_id)) as submission_ids
    from grants
    group by financial_year
),

grant_measures as (
    select
        'community_grant_organisations_supported' as measure_id,
        financial_year as period_id,
        organisations as numerator,
        null::double as denominator,
        organisations::double as value,
        'count' as unit,
        submission_ids,
        null::varchar as value_note
    from grant_years
    union all by name
    select
        'community_grant_value_pounds' as measure_id,
        financial_year as period_id,
        pounds as numerator,
        null::double as denominator,
        pounds as value,
        'pounds' as unit,
        submission_ids,
        null::varchar as value_note
    from grant_years
    union all by name
    select
        'community_grant_targets_met_pct' as measure_id,
        financial_year as period_id,
        projects_meeting_targets as numerator,
        projects_monitored::double as denominator,
        100.0 * projects_meeting_targets / nullif(projects_monitored, 0) as value,
        'percent' as unit,
        submission_ids,
        case
            when projects_outstanding > 0
                then
                    projects_outstanding || ' of ' || (projects_monitored + projects_outstanding)
                    || ' projects have not yet returned their monitoring'
        end as value_note
    from grant_years
),

economic_years as (
    select
        'economic_development_actions_green_pct' as measure_id,
        financial_year as period_id,
        count(*) filter (where rag_status = 'green') as numerator,
        count(*)::double as denominator,
        100.0 * count(*) filter (where rag_status = 'green') / count(*) as value,
        'percent' as unit,
        list_sort(list(distinct submission_id)) as submission_ids,
        null::varchar as value_note
    from economic_actions
    group by financial_year
),

council_years as (
    select * from parking_years
    union all by name
    select
        *,
        1 as parts_received,
        1 as parts_expected
    from grant_measures
    union all by name
    select
        *,
        1 as parts_received,
        1 as parts_expected
    from economic_years
),

council_measures as (
    select
        measure_id,
        {{ home_area('district') }} as area_code,
        period_id,
        'financial_year' as period_type,
        make_date(left(period_id, 4)::integer, 4, 1) as period_start,
        make_date(left(period_id, 4)::integer + 1, 3, 31) as period_end,
        numerator,
        denominator,
        value,
        unit,
        submission_ids,
        parts_received,
        parts_expected,
        value_note
    from council_years
),

partner_periods as (
    select
        partner_values.measure_id,
        partner_values.area_code,
        partner_values.period_id,
        partner_values.numerator,
        partner_values.denominator,
        partner_values.value,
        partner_values.value_note,
        partner_values.submission_id,
        catalogue.unit,
        case
            when partner_values.period_id like '%/% Q_' then 'quarter'
            when partner_values.period_id like '%/%' then 'financial_year'
            else 'month'
        end as period_type,
        case
            when partner_values.period_id like '%/% Q_'
                then
                    make_date(left(partner_values.period_id, 4)::integer, 4, 1)
                    + to_months(3 * (right(partner_values.period_id, 1)::integer - 1))
            when partner_values.period_id like '%/%'
                then make_date(left(partner_values.period_id, 4)::integer, 4, 1)
            else strptime(partner_values.period_id, '%Y-%m')
        end::date as period_start
    from partner_values
    inner join catalogue
        on
            partner_values.measure_id = catalogue.measure_id
            and catalogue.source_return = 'council__partner_measures'
    inner join areas
        on partner_values.area_code = areas.area_code
),

partner_measures as (
    select
        measure_id,
        area_code,
        period_id,
        period_type,
        period_start,
        case period_type
            when 'quarter' then (period_start + to_months(3))::date - 1
            when 'financial_year' then (period_start + to_months(12))::date - 1
            else last_day(period_start)
        end::date as period_end,
        coalesce(numerator, case when unit in ('count', 'pounds') then value end) as numerator,
        denominator,
        coalesce(
            value,
            case when unit = 'percent' then 100.0 * numerator / nullif(denominator, 0) end
        ) as value,
        unit,
        [submission_id] as submission_ids,
        1 as parts_received,
        1 as parts_expected,
        value_note
    from partner_periods
),

unioned as (
    select * from council_measures
    union all by name
    select * from partner_measures
)

select * from unioned

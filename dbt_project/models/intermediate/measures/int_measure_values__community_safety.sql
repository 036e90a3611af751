{#- Community Safety Partnership measures for the home district per financial year: the share of the
    action plan's actions achieved or on target, counted from the actions listed, and the
    Community Safety Unit's daily taskings issued, the months added (a month missing from
    the sheet makes the year incomplete, not smaller). -#}
with

actions as (
    select * from {{ ref('stg_community_safety__csp_actions') }}
),

tasking_months as (
    select * from {{ ref('stg_community_safety__csu_tasking_months') }}
),

action_years as (
    select
        'csp_actions_achieved_or_on_target_pct' as measure_id,
        financial_year as period_id,
        count(*) filter (where is_achieved_or_on_target) as numerator,
        count(*)::double as denominator,
        100.0 * count(*) filter (where is_achieved_or_on_target) / count(*) as value,
        'percent' as unit,
        list_sort(list(distinct submission_id)) as submission_ids,
        1 as parts_received,
        1 as parts_expected,
        null::varchar as value_note
    from actions
    group by financial_year
),

tasking_years as (
    select
        'csu_daily_taskings' as measure_id,
        financial_year as period_id,
        sum(taskings_issued) as numerator,
        null::double as denominator,
        sum(taskings_issued)::double as value,
        'count' as unit,
        list_sort(list(distinct submission_id)) as submission_ids,
        count(taskings_issued) as parts_received,
        12 as parts_expected,
        case
            when count(taskings_issued) < 12
                then 'Incomplete: ' || count(taskings_issued) || ' of 12 months reported'
        end as value_note
    from tasking_months
    group by financial_year
),

unioned as (
    select * from action_years
    union all by name
    select * from tasking_years
),

financial_years as (
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
    from unioned
)

select * from financial_years

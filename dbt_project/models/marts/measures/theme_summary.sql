{#- How many key success measures of each plan, theme and report year were achieved, on
    target, not achieved or missing, with the percentages the report's summary quotes, and an
    `All` row per plan and year. Percentages are of the measures assessed: every measure but
    those Not applicable. -#}
with

measure_status as (
    select * from {{ ref('measure_status') }}
),

by_theme as (
    select
        plan,
        report_year,
        theme,
        status,
        submission_ids
    from measure_status
    union all
    select
        plan,
        report_year,
        'All' as theme,
        status,
        submission_ids
    from measure_status
),

counted as (
    select
        plan,
        report_year,
        theme,
        count(*) as measures,
        count(*) filter (where status = 'Achieved') as achieved,
        count(*) filter (where status = 'On target') as on_target,
        count(*) filter (where status = 'Not achieved') as not_achieved,
        count(*) filter (where status = 'Information not received') as information_not_received,
        count(*) filter (where status = 'Not applicable') as not_applicable,
        list_sort(list_distinct(flatten(list(submission_ids)))) as submission_ids
    from by_theme
    group by plan, report_year, theme
),

theme_summary as (
    select
        plan || '|' || theme || '|' || report_year as theme_summary_key,
        plan,
        theme,
        report_year,
        measures,
        achieved,
        on_target,
        not_achieved,
        information_not_received,
        not_applicable,
        measures - not_applicable as measures_assessed,
        100.0 * achieved / nullif(measures - not_applicable, 0) as achieved_pct,
        100.0 * (achieved + on_target) / nullif(measures - not_applicable, 0) as achieved_or_on_target_pct,
        100.0 * information_not_received / nullif(measures - not_applicable, 0) as missing_pct,
        submission_ids
    from counted
)

select * from theme_summary

{#- Which findings apply to which figure: the one home of that rule (the report marts read
    it). Open and explained findings joined to the measure, area and period they concern. A
    finding about a figure applies to it (to every area when it names none); a finding about
    a partner's file applies to every figure computed from that submission; a return not
    received applies to every measure of the return for the period, whether or not a figure
    exists, and to the figures of the longer periods that contain it (a missing month to its
    quarter and year), area_code null: all areas. A view, so that notes follow the checks,
    which run after dbt has built the marts. -#}
{{ config(materialized='view') }}

with

findings as (
    select * from {{ ref('stg_quality__findings') }}
    where status in ('open', 'explained')
),

measure_values as (
    select * from {{ ref('measure_values') }}
),

catalogue as (
    select * from {{ ref('measure_catalogue') }}
),

calendar as (
    select * from {{ ref('calendar') }}
),

about_figures as (
    select
        measure_values.measure_id,
        measure_values.area_code,
        measure_values.period_id,
        findings.finding_key,
        findings.severity,
        findings.status,
        findings.message,
        findings.explanation
    from findings
    inner join measure_values
        on
            findings.measure_id = measure_values.measure_id
            and findings.period_id = measure_values.period_id
            and (findings.area_code is null or findings.area_code = measure_values.area_code)
    where findings.measure_id is not null
),

about_files as (
    select
        measure_values.measure_id,
        measure_values.area_code,
        measure_values.period_id,
        findings.finding_key,
        findings.severity,
        findings.status,
        findings.message,
        findings.explanation
    from findings
    inner join measure_values
        on list_contains(measure_values.submission_ids, findings.submission_id)
    where findings.measure_id is null and findings.submission_id is not null
),

missing_returns as (
    select
        catalogue.measure_id,
        findings.period_id,
        findings.finding_key,
        findings.severity,
        findings.status,
        findings.message,
        findings.explanation
    from findings
    inner join catalogue
        on findings.return_name = catalogue.source_return
    where
        findings.measure_id is null
        and findings.submission_id is null
        and findings.period_id is not null
),

about_missing_returns as (
    select
        measure_id,
        null::varchar as area_code,
        period_id,
        finding_key,
        severity,
        status,
        message,
        explanation
    from missing_returns
),

-- A period id names its bounds in the calendar; a financial and an academic year can share
-- one (2021/22), and either reading finds the figures that contain the missing part.
about_containing_periods as (
    select distinct
        measure_values.measure_id,
        null::varchar as area_code,
        measure_values.period_id,
        missing_returns.finding_key,
        missing_returns.severity,
        missing_returns.status,
        missing_returns.message,
        missing_returns.explanation
    from missing_returns
    inner join calendar
        on missing_returns.period_id = calendar.period_id
    inner join measure_values
        on
            missing_returns.measure_id = measure_values.measure_id
            and calendar.period_start >= measure_values.period_start
            and calendar.period_end <= measure_values.period_end
            and missing_returns.period_id != measure_values.period_id
),

notes_found as (
    select * from about_figures
    union
    select * from about_files
    union
    select * from about_missing_returns
    union
    select * from about_containing_periods
),

measure_value_notes as (
    select
        measure_id || '|' || coalesce(area_code, '*') || '|' || period_id as measure_value_note_key,
        measure_id,
        area_code,
        period_id,
        count(*) as findings,
        count(*) filter (where status = 'open') as findings_open,
        bool_or(severity = 'blocking' and status = 'open') as has_blocking_finding,
        string_agg(
            case
                when status = 'explained' then message || ' Explained: ' || explanation
                else message
            end,
            ' '
            order by severity, finding_key
        ) as note,
        list(finding_key order by finding_key) as finding_keys
    from notes_found
    group by measure_id, area_code, period_id
)

select * from measure_value_notes

{#- The quality findings each monitoring report prints: every finding (open, explained or
    resolved) about a period of the report year (the year itself, its quarters and months)
    or about a period one of the report's figures is for, in the order the appendix lists
    them, and the key success measures each is printed beside: those with a figure the
    finding applies to (measure_value_notes says which) for the home district or every area.
    Findings about the home district (or no one area) come first, other districts' after.

    A view, like measure_value_notes: the quality checks write their findings after dbt has
    built the marts, and the publication copies what the view shows once they have run. -#}
{{ config(materialized='view') }}

with

findings as (
    select * from {{ ref('stg_quality__findings') }}
),

measure_status as (
    select * from {{ ref('measure_status') }}
),

report_figures as (
    select * from {{ ref('report_figures') }}
),

measure_value_notes as (
    select * from {{ ref('measure_value_notes') }}
),

catalogue as (
    select * from {{ ref('measure_catalogue') }}
),

areas as (
    select * from {{ ref('areas') }}
),

report_years as (
    select distinct
        plan,
        report_year,
        make_date(left(report_year, 4)::integer, 4, 1) as year_start,
        make_date(left(report_year, 4)::integer + 1, 3, 31) as year_end
    from measure_status
),

printed_periods as (
    select distinct
        plan,
        report_year,
        period_id
    from report_figures
),

year_findings as (
    select
        report_years.plan,
        report_years.report_year,
        findings.*
    from report_years
    cross join findings
    left join printed_periods
        on
            report_years.plan = printed_periods.plan
            and report_years.report_year = printed_periods.report_year
            and findings.period_id = printed_periods.period_id
    where
        findings.period_id = report_years.report_year
        or starts_with(findings.period_id, report_years.report_year || ' ')
        or printed_periods.period_id is not null
        or (
            regexp_full_match(findings.period_id, '\d{4}-\d{2}')
            and try_strptime(findings.period_id, '%Y-%m')::date
            between report_years.year_start and report_years.year_end
        )
),

printed_beside as (
    select
        report_figures.plan,
        report_figures.report_year,
        unnest(measure_value_notes.finding_keys) as finding_key,
        report_figures.ref
    from report_figures
    inner join measure_value_notes
        on
            report_figures.measure_id = measure_value_notes.measure_id
            and report_figures.period_id = measure_value_notes.period_id
            and (
                measure_value_notes.area_code is null
                or report_figures.area_code = measure_value_notes.area_code
            )
),

refs_printed_beside as (
    select
        plan,
        report_year,
        finding_key,
        list(distinct ref order by ref) as printed_beside_refs
    from printed_beside
    group by plan, report_year, finding_key
),

report_findings as (
    select
        year_findings.plan || '|' || year_findings.report_year || '|' || year_findings.finding_key
            as report_finding_key,
        year_findings.plan,
        year_findings.report_year,
        row_number() over (
            partition by year_findings.plan, year_findings.report_year
            order by
                coalesce(year_findings.area_code, {{ home_area('district') }}) != {{ home_area('district') }},
                case year_findings.status when 'open' then 0 when 'explained' then 1 else 2 end,
                case year_findings.severity when 'blocking' then 0 when 'warning' then 1 else 2 end,
                year_findings.partner,
                year_findings.measure_id,
                year_findings.period_id,
                areas.area_name,
                year_findings.check_name,
                year_findings.finding_key
        ) as listed_order,
        year_findings.finding_key,
        year_findings.check_name,
        year_findings.check_kind,
        year_findings.return_name,
        year_findings.partner,
        year_findings.measure_id,
        catalogue.measure_name,
        year_findings.area_code,
        areas.area_name,
        year_findings.period_id,
        year_findings.severity,
        year_findings.observed,
        year_findings.expected,
        year_findings.message,
        year_findings.submission_id,
        year_findings.first_seen_at,
        year_findings.status,
        year_findings.explanation,
        coalesce(refs_printed_beside.printed_beside_refs, []::varchar[]) as printed_beside_refs
    from year_findings
    left join catalogue
        on year_findings.measure_id = catalogue.measure_id
    left join areas
        on year_findings.area_code = areas.area_code
    left join refs_printed_beside
        on
            year_findings.plan = refs_printed_beside.plan
            and year_findings.report_year = refs_printed_beside.report_year
            and year_findings.finding_key = refs_printed_beside.finding_key
)

select * from report_findings

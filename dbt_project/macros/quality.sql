{#- The quality gate's findings table, as pipelines/quality/findings.py creates it. The quality
    checks run after dbt, so a first build (or a build outside Dagster) creates the table empty
    for the staging view to read; a test keeps the two definitions in step. -#}
{% macro ensure_quality_findings() -%}
    create schema if not exists quality;
    create table if not exists quality.findings (
        finding_key varchar not null,
        check_name varchar not null,
        check_kind varchar not null,
        source varchar,
        return_name varchar,
        partner varchar,
        measure_id varchar,
        area_code varchar,
        period_id varchar,
        severity varchar not null,
        observed varchar,
        expected varchar,
        message varchar not null,
        submission_id integer,
        source_file varchar,
        source_rows varchar,
        status varchar not null,
        explanation varchar,
        reviewed_by varchar,
        reviewed_on date,
        first_seen_at timestamp not null,
        last_seen_at timestamp not null,
        resolved_at timestamp
    )
{%- endmacro %}

{#- Findings of the quality gate. A view (read when queried) so that marts always show the
    checks' latest results, which are written after dbt has built the marts. The table is
    the quality layer's (pipelines/quality/findings.py); the ledger asset creates it before
    dbt runs. -#}
{{ config(materialized='view') }}

with

source as (
    select * from {{ source('quality', 'findings') }}
),

renamed as (
    select
        finding_key,
        check_name,
        check_kind,
        source,
        return_name,
        partner,
        measure_id,
        area_code,
        period_id,
        severity,
        observed,
        expected,
        message,
        submission_id,
        source_file,
        source_rows,
        status,
        explanation,
        reviewed_by,
        reviewed_on,
        first_seen_at,
        last_seen_at,
        resolved_at,
        severity = 'blocking' and status = 'open' as blocks_publication
    from source
)

select * from renamed

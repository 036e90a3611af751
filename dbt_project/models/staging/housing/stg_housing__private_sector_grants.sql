{#- Grants completed by quarter and grant type, with the value as exact pounds and pence. -#}
with

source as (
    select * from {{ source('housing', 'private_sector_grants') }}
),

renamed as (
    select
        source.submission_id || ':' || source.source_row as private_sector_grant_key,
        source.financial_year,
        make_date(left(source.financial_year, 4)::integer, 4, 1) as financial_year_start,
        source.quarter,
        source.grant_type,
        source.grant_scheme,
        source.grants_completed,
        source.value_pounds::decimal(14, 2) as value_pounds,
        source.figure_note,
        source.submission_id,
        source.source_file,
        source.source_sha256,
        source.source_row,
        source.loaded_at
    from source
)

select * from renamed

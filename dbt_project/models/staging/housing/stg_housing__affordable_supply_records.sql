{#- Live Table 1011 rows, typed: the financial year in the council's words (2017-18 becomes
    2017/18) and the release (the latest year the file covers) each row came from. -#}
with

source as (
    select * from {{ source('housing', 'affordable_supply') }}
),

renamed as (
    select
        source.submission_id || ':' || source.source_row as affordable_supply_record_key,
        source.area_code,
        replace(source.year, '-', '/') as financial_year,
        make_date(left(source.year, 4)::integer, 4, 1) as financial_year_start,
        source.tenure,
        source.completions = 'Y' as is_completion,
        source.supply_type,
        source.provider,
        source.units,
        source.units_note,
        source.submission_id,
        source.source_file,
        source.source_sha256,
        source.source_row,
        source.loaded_at
    from source
)

select * from renamed

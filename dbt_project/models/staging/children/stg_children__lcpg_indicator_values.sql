with

source as (
    select * from {{ source('children', 'lcpg_indicators') }}
),

renamed as (
    select
        source.submission_id || ':' || source.source_row as lcpg_indicator_value_key,
        source.financial_year,
        source.indicator,
        source.period_label,
        source.numerator,
        source.denominator,
        source.value,
        source.target,
        source.benchmark_group_value,
        source.national_value,
        source.national_area,
        source.value_note,
        source.submission_id,
        source.source_file,
        source.source_sha256,
        source.source_row,
        source.loaded_at
    from source
)

select * from renamed

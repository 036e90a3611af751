with

source as (
    select * from {{ source('council', 'partner_measures') }}
),

renamed as (
    select
        source.submission_id || ':' || source.source_row as partner_measure_value_key,
        source.financial_year,
        source.partner,
        source.measure_id,
        source.area_code,
        source.period_id,
        source.numerator,
        source.denominator,
        source.value,
        source.note as value_note,
        source.submission_id,
        source.source_file,
        source.source_sha256,
        source.source_row,
        source.loaded_at
    from source
)

select * from renamed

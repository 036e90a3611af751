with

source as (
    select * from {{ source('council', 'parking_enforcement') }}
),

renamed as (
    select
        source.submission_id || ':' || source.source_row as parking_enforcement_month_key,
        source.financial_year,
        source.month_start,
        source.pcns_on_street,
        source.pcns_car_parks,
        source.warning_notices,
        source.pcns_on_street + source.pcns_car_parks + source.warning_notices as enforcement_actions,
        source.pcns_cancelled,
        source.value_note,
        source.submission_id,
        source.source_file,
        source.source_sha256,
        source.source_row,
        source.loaded_at
    from source
)

select * from renamed

with

source as (
    select * from {{ source('police', 'street_crimes') }}
),

renamed as (
    select
        source.submission_id || ':' || source.source_row as street_crime_row_key,
        nullif(source.crime_id, '') as crime_id,
        strptime(source.month, '%Y-%m')::date as month_start,
        {{ financial_year("strptime(source.month, '%Y-%m')") }} as financial_year,
        source.reported_by,
        source.falls_within,
        source.longitude,
        source.latitude,
        source.location as location_description,
        nullif(source.lsoa_code, '') is not null as has_location,
        nullif(source.lsoa_code, '') as lsoa_code,
        nullif(source.lsoa_name, '') as lsoa_name,
        source.crime_type,
        nullif(source.last_outcome_category, '') as last_outcome_category,
        source.submission_id,
        source.source_file,
        source.source_sha256,
        source.source_row,
        source.loaded_at
    from source
)

select * from renamed

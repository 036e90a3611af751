{#- KCC writes districts by name, with `&` for `and` and the pre-2018 name Shepway: each is
    matched to its ONS code through the areas seed (name or 2011 LSOA name prefix). -#}
with

source as (
    select * from {{ source('road_safety', 'ksi_casualties') }}
),

areas as (
    select * from {{ ref('areas') }}
),

area_names as (
    select
        area_code,
        lower(area_name) as name_key
    from areas
    union
    select
        area_code,
        lower(lsoa_name_prefix) as name_key
    from areas
    where lsoa_name_prefix is not null
),

renamed as (
    select
        source.submission_id || ':' || source.source_row as ksi_casualty_count_key,
        source.calendar_year,
        make_date(source.calendar_year, 1, 1) as year_start,
        source.district as district_name,
        area_names.area_code,
        source.road_network,
        source.severity,
        source.casualties,
        source.value_note,
        source.submission_id,
        source.source_file,
        source.source_sha256,
        source.source_row,
        source.loaded_at
    from source
    left join area_names
        on lower(trim(replace(source.district, '&', 'and'))) = area_names.name_key
)

select * from renamed

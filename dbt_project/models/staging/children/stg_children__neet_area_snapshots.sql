{#- KCC names districts as people write them (`Tonbridge & Malling`): each is matched to its
    ONS code through the areas seed; `Kent` is Kent County. -#}
with

source as (
    select * from {{ source('children', 'neet_summary') }}
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
        source.submission_id || ':' || source.source_row as neet_area_snapshot_key,
        source.snapshot,
        strptime(source.snapshot, '%b %Y')::date as snapshot_month_start,
        source.area_name,
        area_names.area_code,
        source.cohort_yr12_yr13,
        source.neet_yr12_yr13,
        source.neet_pct_yr12_yr13,
        source.target_pct_yr12_yr13,
        source.neet_yr12,
        source.neet_yr13,
        source.not_known_yr12,
        source.not_known_yr13,
        source.not_known_total,
        source.value_note,
        source.submission_id,
        source.source_file,
        source.source_sha256,
        source.source_row,
        source.loaded_at
    from source
    left join area_names
        on lower(trim(replace(source.area_name, '&', 'and'))) = area_names.name_key
)

select * from renamed

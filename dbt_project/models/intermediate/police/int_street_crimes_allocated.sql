{#- Places each current police record in a district from its LSOA name (`Sevenoaks 008C`
    lies in Sevenoaks; `Shepway 001A` in Folkestone and Hythe). Records the police could not
    place stay, marked unallocated, so that totals can always be reconciled.
    A table, not a view like the other intermediate models: two marts and four tests read
    it, and as a view each would place the 1.9M records again. -#}
{{ config(materialized='table') }}

with

crimes as (
    select * from {{ ref('stg_police__street_crimes') }}
),

areas as (
    select * from {{ ref('areas') }}
    where lsoa_name_prefix is not null
),

crime_types as (
    select * from {{ ref('crime_types') }}
),

allocated as (
    select
        crimes.*,
        crime_types.crime_group,
        areas.area_code,
        case
            when not crimes.has_location then 'no location'
            when areas.area_code is null then 'LSOA outside the known areas'
            else 'allocated'
        end as allocation_status
    from crimes
    left join areas
        on regexp_extract(crimes.lsoa_name, '^(.*) [0-9]{3}[A-Z]$', 1) = areas.lsoa_name_prefix
    left join crime_types
        on crimes.crime_type = crime_types.crime_type
)

select * from allocated

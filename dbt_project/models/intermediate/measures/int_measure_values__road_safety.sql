{#- Killed or seriously injured casualties per area (each Kent district, and Kent) and
    calendar year from KCC's files: on local roads (the Community Plan's measure), of which
    fatal, and on all roads (for the county ranking). A year KCC did not send has no row:
    it is missing, not zero. A suppressed or blank cell leaves the figure empty with a note
    rather than undercounting it. -#}
with

casualties as (
    select * from {{ ref('stg_road_safety__ksi_casualty_counts') }}
    where
        severity in ('fatal', 'serious')
        and area_code is not null
),

measure_cells as (
    select
        'ksi_casualties_local_roads' as measure_id,
        area_code,
        calendar_year,
        year_start,
        casualties,
        submission_id
    from casualties
    where road_network = 'local_roads'
    union all
    select
        'ksi_fatal_casualties_local_roads' as measure_id,
        area_code,
        calendar_year,
        year_start,
        casualties,
        submission_id
    from casualties
    where road_network = 'local_roads' and severity = 'fatal'
    union all
    select
        'ksi_casualties_all_roads' as measure_id,
        area_code,
        calendar_year,
        year_start,
        casualties,
        submission_id
    from casualties
),

counted as (
    select
        measure_id,
        area_code,
        calendar_year,
        year_start,
        sum(casualties) as casualties,
        count(*) - count(casualties) as cells_missing,
        list_sort(list(distinct submission_id)) as submission_ids
    from measure_cells
    group by all
),

calendar_years as (
    select
        measure_id,
        area_code,
        calendar_year::varchar as period_id,
        'calendar_year' as period_type,
        year_start as period_start,
        make_date(calendar_year, 12, 31) as period_end,
        case when cells_missing = 0 then casualties end as numerator,
        null::double as denominator,
        case when cells_missing = 0 then casualties::double end as value,
        'count' as unit,
        submission_ids,
        1 as parts_received,
        1 as parts_expected,
        case
            when cells_missing > 0
                then cells_missing || ' casualty figure(s) suppressed or blank in KCC''s file'
        end as value_note
    from counted
)

select * from calendar_years

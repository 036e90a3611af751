{#- Each Kent district's place among the 12 for every measure and period, so that "second
    lowest in the county", "third highest" and "no higher than 3rd" are each one filter, with
    the county's and the country's values beside it where a source gives them (the
    home_area var's county and country, among its comparison areas).

    Ranks use rank(): tied districts share the lower (better-placed) number and the next
    number is skipped (1, 2, 2, 4); tied_with names the other districts with the same value,
    so that a report says "joint lowest with Dover and Thanet" rather than "the lowest". Only districts with a value are ranked; a suppressed or
    missing value gets no rank and is not counted in districts_with_value. -#}
with

measure_values as (
    select * from {{ ref('measure_values') }}
),

areas as (
    select * from {{ ref('areas') }}
),

district_values as (
    select measure_values.*
    from measure_values
    inner join areas
        on measure_values.area_code = areas.area_code
    where areas.is_kent_district
),

comparators as (
    select
        measure_id,
        period_id,
        max(value) filter (where area_code = {{ home_area('county') }}) as kent_value,
        max(value) filter (where area_code = {{ home_area('country') }}) as england_value
    from measure_values
    where list_contains({{ home_area('comparison_areas') }}, area_code)
    group by measure_id, period_id
),

ranked as (
    select
        *,
        count(value) over (partition by measure_id, period_id) as districts_with_value,
        case
            when value is not null
                then rank() over (partition by measure_id, period_id, value is null order by value asc)
        end as rank_from_lowest,
        case
            when value is not null
                then rank() over (partition by measure_id, period_id, value is null order by value desc)
        end as rank_from_highest,
        case
            when value is not null
                then list(area_name order by area_name) over (partition by measure_id, period_id, value)
        end as districts_with_same_value
    from district_values
),

measure_benchmarks as (
    select
        ranked.measure_value_key,
        ranked.measure_id,
        ranked.measure_name,
        ranked.area_code,
        ranked.area_name,
        ranked.period_id,
        ranked.period_type,
        ranked.period_start,
        ranked.period_end,
        ranked.unit,
        ranked.polarity,
        ranked.value,
        ranked.is_complete,
        ranked.districts_with_value,
        ranked.rank_from_lowest,
        ranked.rank_from_highest,
        coalesce(
            list_filter(ranked.districts_with_same_value, tied -> tied != ranked.area_name), []::varchar[]
        ) as tied_with,
        case ranked.polarity
            when 'lower_is_better' then ranked.rank_from_lowest
            when 'higher_is_better' then ranked.rank_from_highest
        end as rank_from_best,
        case
            when ranked.rank_from_lowest is not null and ranked.districts_with_value > 1
                then least(
                    5,
                    floor(5.0 * (ranked.rank_from_lowest - 1) / (ranked.districts_with_value - 1)) + 1
                )::integer
        end as quintile,
        comparators.kent_value,
        comparators.england_value,
        ranked.submission_ids
    from ranked
    left join comparators
        on
            ranked.measure_id = comparators.measure_id
            and ranked.period_id = comparators.period_id
)

select * from measure_benchmarks

{#- One long table of every measure, area and period, whatever partner it came from. -#}
with

contributions as (
    {{ union_measure_contributions() }}
),

catalogue as (
    select * from {{ ref('measure_catalogue') }}
),

areas as (
    select * from {{ ref('areas') }}
),

measure_values as (
    select
        contributions.measure_id || '|' || contributions.area_code || '|' || contributions.period_id
            as measure_value_key,
        contributions.measure_id,
        catalogue.measure_name,
        contributions.area_code,
        areas.area_name,
        contributions.period_id,
        contributions.period_type,
        contributions.period_start,
        contributions.period_end,
        contributions.numerator,
        contributions.denominator,
        contributions.value,
        contributions.unit,
        contributions.parts_received,
        contributions.parts_expected,
        contributions.parts_received >= contributions.parts_expected as is_complete,
        contributions.value_note,
        contributions.submission_ids
    from contributions
    left join catalogue
        on contributions.measure_id = catalogue.measure_id
    left join areas
        on contributions.area_code = areas.area_code
)

select * from measure_values

{#- Police records counted into the long measure shape: per area and month, then per
    financial year. Areas: each district and Medway, Kent (its 12 districts) and the whole
    force area (every record, placed or not). A month with no record of a kind counts 0, but
    only for months whose file was received: a missing month is missing, not zero. -#}
with

records as (
    select * from {{ ref('int_street_crimes_allocated') }}
),

areas as (
    select * from {{ ref('areas') }}
),

measure_groups as (
    select distinct
        crime_group,
        case crime_group
            when 'victim_based' then 'victim_based_crimes'
            when 'anti_social_behaviour' then 'anti_social_behaviour_incidents'
            when 'other_against_society' then 'other_crimes_against_society'
        end as measure_id
    from {{ ref('crime_types') }}
),

reporting_areas as (
    select area_code from areas
    where
        lsoa_name_prefix is not null
        or area_code in ({{ home_area('county') }}, {{ home_area('police_force_area') }})
),

months_received as (
    select
        month_start,
        min(submission_id) as submission_id
    from records
    group by month_start
),

record_areas as (
    select
        month_start,
        crime_group,
        submission_id,
        area_code
    from records
    where area_code is not null
    union all
    select
        records.month_start,
        records.crime_group,
        records.submission_id,
        areas.parent_area_code as area_code
    from records
    inner join areas
        on records.area_code = areas.area_code
    where areas.is_kent_district
    union all
    select
        month_start,
        crime_group,
        submission_id,
        {{ home_area('police_force_area') }} as area_code
    from records
),

counted as (
    select
        area_code,
        month_start,
        crime_group,
        count(*) as record_count
    from record_areas
    group by all
),

spine as (
    select
        measure_groups.measure_id,
        measure_groups.crime_group,
        reporting_areas.area_code,
        months_received.month_start,
        months_received.submission_id
    from measure_groups
    cross join months_received
    cross join reporting_areas
),

monthly as (
    select
        spine.measure_id,
        spine.area_code,
        strftime(spine.month_start, '%Y-%m') as period_id,
        'month' as period_type,
        spine.month_start as period_start,
        last_day(spine.month_start) as period_end,
        coalesce(counted.record_count, 0) as numerator,
        null::double as denominator,
        coalesce(counted.record_count, 0)::double as value,
        'count' as unit,
        [spine.submission_id] as submission_ids,
        1 as parts_received,
        1 as parts_expected,
        null::varchar as value_note
    from spine
    left join counted
        on
            spine.area_code = counted.area_code
            and spine.month_start = counted.month_start
            and spine.crime_group = counted.crime_group
),

financial_years as (
    select
        measure_id,
        area_code,
        {{ financial_year('period_start') }} as period_id,
        'financial_year' as period_type,
        min({{ financial_year_start('period_start') }}) as period_start,
        min({{ financial_year_start('period_start') }}) + interval 1 year - interval 1 day as period_end,
        sum(numerator) as numerator,
        null::double as denominator,
        sum(numerator)::double as value,
        'count' as unit,
        list_sort(flatten(list(submission_ids))) as submission_ids,
        count(*) as parts_received,
        12 as parts_expected
    from monthly
    group by measure_id, area_code, {{ financial_year('period_start') }}
),

financial_years_noted as (
    select
        *,
        case
            when parts_received < parts_expected
                then 'Incomplete: ' || parts_received || ' of 12 months received'
        end as value_note
    from financial_years
),

unioned as (
    select * from monthly
    union all by name
    select * from financial_years_noted
)

select * from unioned

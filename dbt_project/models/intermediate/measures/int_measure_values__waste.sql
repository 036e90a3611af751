{#- Waste returns in the long measure shape, from current submissions only.

    ENV18 (Defra): the household recycling rate per financial year, household waste sent for
    recycling, composting or reuse as a percentage of household waste, computed from the
    tonnes (not the release's own rate), for the Kent districts, Kent (Kent County Council's
    row as disposal authority covers the whole county), Medway, the South East and England.
    When a release has no row for the South East or England, the area is the sum of its
    unitary and disposal authorities, which is how Defra makes its regional rates (adding
    collection authorities would count their waste twice).

    The council's missed collections return: justified missed collections per 100,000
    scheduled and the percentage put right by the next working day, per quarter and per
    financial year (quarters received, 4 expected).

    The council's tonnage return: the percentage of waste recycled, composted or reused,
    and the percentage not sent to landfill (energy recovery counts), per quarter and
    financial year. The second is what the 2021/22 report calls "recycled or reused". -#}
with

authority_tonnages as (
    select * from {{ ref('stg_waste__authority_tonnages') }}
),

missed_collections as (
    select * from {{ ref('stg_waste__missed_collections') }}
),

destination_tonnages as (
    select * from {{ ref('stg_waste__destination_tonnages') }}
),

areas as (
    select * from {{ ref('areas') }}
),

env18_stated as (
    select
        authority_tonnages.ons_code as area_code,
        authority_tonnages.financial_year,
        authority_tonnages.year_start,
        authority_tonnages.year_end,
        authority_tonnages.household_recycled_tonnes,
        authority_tonnages.household_total_tonnes,
        [authority_tonnages.submission_id] as submission_ids,
        cast(null as varchar) as value_note
    from authority_tonnages
    inner join areas
        on authority_tonnages.ons_code = areas.area_code
),

env18_region_sums as (
    select
        areas.area_code,
        authority_tonnages.financial_year,
        authority_tonnages.year_start,
        authority_tonnages.year_end,
        authority_tonnages.household_recycled_tonnes,
        authority_tonnages.household_total_tonnes,
        authority_tonnages.submission_id
    from authority_tonnages
    inner join areas
        on
            authority_tonnages.region = areas.area_name
            and areas.area_type = 'region'
    where authority_tonnages.authority_type in ('Unitary', 'Disposal')
    union all
    select
        {{ home_area('country') }} as area_code,
        financial_year,
        year_start,
        year_end,
        household_recycled_tonnes,
        household_total_tonnes,
        submission_id
    from authority_tonnages
    where authority_type in ('Unitary', 'Disposal')
),

env18_summed as (
    select
        area_code,
        financial_year,
        min(year_start) as year_start,
        min(year_end) as year_end,
        sum(household_recycled_tonnes) as household_recycled_tonnes,
        sum(household_total_tonnes) as household_total_tonnes,
        list_sort(list_distinct(list(submission_id))) as submission_ids,
        'Sum of the unitary and disposal authorities in the ENV18 release' as value_note
    from env18_region_sums
    group by area_code, financial_year
    having count(household_recycled_tonnes) = count(*) and count(household_total_tonnes) = count(*)
),

env18_summed_unstated as (
    select env18_summed.*
    from env18_summed
    left join env18_stated
        on
            env18_summed.area_code = env18_stated.area_code
            and env18_summed.financial_year = env18_stated.financial_year
    where env18_stated.area_code is null
),

env18_areas as (
    select * from env18_stated
    union all by name
    select * from env18_summed_unstated
),

household_recycling as (
    select
        'household_recycling_rate' as measure_id,
        area_code,
        financial_year as period_id,
        'financial_year' as period_type,
        year_start as period_start,
        year_end as period_end,
        household_recycled_tonnes as numerator,
        household_total_tonnes as denominator,
        100.0 as scale,
        'percent' as unit,
        submission_ids,
        1 as parts_received,
        1 as parts_expected,
        value_note
    from env18_areas
    where household_recycled_tonnes is not null and household_total_tonnes > 0
),

missed_quarters as (
    select
        area_code,
        quarter,
        financial_year,
        min(quarter_start) as quarter_start,
        min(quarter_end) as quarter_end,
        sum(collections_scheduled) as collections_scheduled,
        sum(justified_missed_collections) as justified_missed_collections,
        sum(put_right_next_working_day) as put_right_next_working_day,
        count(collections_scheduled) = count(*)
        and count(justified_missed_collections) = count(*) as has_missed_counts,
        count(put_right_next_working_day) = count(*) as has_put_right_counts,
        list_sort(list_distinct(list(submission_id))) as submission_ids
    from missed_collections
    group by area_code, quarter, financial_year
),

missed_figures as (
    select
        'missed_collections_per_100k' as measure_id,
        area_code,
        quarter,
        financial_year,
        quarter_start,
        quarter_end,
        justified_missed_collections as numerator,
        collections_scheduled as denominator,
        100000.0 as scale,
        'rate' as unit,
        submission_ids
    from missed_quarters
    where has_missed_counts and collections_scheduled > 0
    union all
    select
        'missed_collections_put_right_next_day_pct' as measure_id,
        area_code,
        quarter,
        financial_year,
        quarter_start,
        quarter_end,
        put_right_next_working_day as numerator,
        justified_missed_collections as denominator,
        100.0 as scale,
        'percent' as unit,
        submission_ids
    from missed_quarters
    where has_missed_counts and has_put_right_counts and justified_missed_collections > 0
),

destination_quarters as (
    select
        area_code,
        quarter,
        financial_year,
        min(quarter_start) as quarter_start,
        min(quarter_end) as quarter_end,
        sum(recycled_tonnes + composted_tonnes + reused_tonnes) as recycled_composted_reused_tonnes,
        sum(total_tonnes - landfill_tonnes) as not_landfilled_tonnes,
        sum(total_tonnes) as total_tonnes,
        count(total_tonnes) = count(*) as has_every_destination,
        list_sort(list_distinct(list(submission_id))) as submission_ids
    from destination_tonnages
    group by area_code, quarter, financial_year
),

destination_figures as (
    select
        'waste_recycled_composted_reused_pct' as measure_id,
        area_code,
        quarter,
        financial_year,
        quarter_start,
        quarter_end,
        recycled_composted_reused_tonnes as numerator,
        total_tonnes as denominator,
        100.0 as scale,
        'percent' as unit,
        submission_ids
    from destination_quarters
    where has_every_destination and total_tonnes > 0
    union all
    select
        'waste_not_landfilled_pct' as measure_id,
        area_code,
        quarter,
        financial_year,
        quarter_start,
        quarter_end,
        not_landfilled_tonnes as numerator,
        total_tonnes as denominator,
        100.0 as scale,
        'percent' as unit,
        submission_ids
    from destination_quarters
    where has_every_destination and total_tonnes > 0
),

quarter_figures as (
    select * from missed_figures
    union all
    select * from destination_figures
),

quarters as (
    select
        measure_id,
        area_code,
        quarter as period_id,
        'quarter' as period_type,
        quarter_start as period_start,
        quarter_end as period_end,
        numerator,
        denominator,
        scale,
        unit,
        submission_ids,
        1 as parts_received,
        1 as parts_expected,
        cast(null as varchar) as value_note
    from quarter_figures
),

financial_years as (
    select
        measure_id,
        area_code,
        financial_year as period_id,
        'financial_year' as period_type,
        make_date(cast(left(financial_year, 4) as integer), 4, 1) as period_start,
        make_date(cast(left(financial_year, 4) as integer) + 1, 3, 31) as period_end,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        min(scale) as scale,
        min(unit) as unit,
        list_sort(list_distinct(flatten(list(submission_ids)))) as submission_ids,
        count(*) as parts_received,
        4 as parts_expected
    from quarter_figures
    group by measure_id, area_code, financial_year
),

financial_years_noted as (
    select
        *,
        case
            when parts_received < parts_expected
                then 'Incomplete: ' || parts_received || ' of 4 quarters received'
        end as value_note
    from financial_years
),

figures as (
    select * from household_recycling
    union all by name
    select * from quarters
    union all by name
    select * from financial_years_noted
),

measure_values as (
    select
        measure_id,
        area_code,
        period_id,
        period_type,
        period_start,
        period_end,
        cast(numerator as double) as numerator,
        cast(denominator as double) as denominator,
        cast(numerator as double) / denominator * scale as value,
        unit,
        submission_ids,
        parts_received,
        parts_expected,
        value_note
    from figures
)

select * from measure_values

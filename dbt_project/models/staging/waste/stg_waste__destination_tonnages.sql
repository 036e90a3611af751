{#- The waste team's tonnage return, a row per quarter with the tonnes sent to each
    destination. The total is the sum of the five destinations, and null when one was not
    given, so that a share is never worked out on part of the waste. -#}
with

source as (
    select * from {{ source('waste', 'tonnage_by_destination') }}
),

placed as (
    select
        *,
        cast(
            make_date(cast(left(quarter, 4) as integer), 4, 1)
            + to_months(3 * (cast(right(quarter, 1) as integer) - 1)) as date
        ) as quarter_start
    from source
),

renamed as (
    select
        placed.submission_id || ':' || placed.source_row as destination_tonnage_row_key,
        {{ home_area('district') }} as area_code,
        placed.financial_year,
        placed.quarter,
        placed.quarter_start,
        cast(placed.quarter_start + to_months(3) - to_days(1) as date) as quarter_end,
        placed.recycled_tonnes,
        placed.composted_tonnes,
        placed.reused_tonnes,
        placed.energy_recovery_tonnes,
        placed.landfill_tonnes,
        placed.recycled_tonnes
        + placed.composted_tonnes
        + placed.reused_tonnes
        + placed.energy_recovery_tonnes
        + placed.landfill_tonnes as total_tonnes,
        placed.missing_columns,
        placed.submission_id,
        placed.source_file,
        placed.source_sheet,
        placed.source_sha256,
        placed.source_row,
        placed.loaded_at
    from placed
)

select * from renamed

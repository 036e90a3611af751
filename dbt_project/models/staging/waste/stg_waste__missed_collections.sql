{#- The waste team's missed collections, a row per collection service and quarter, with
    the quarter placed as the council writes it (`2019/20 Q1`, April to June). The return
    is Sevenoaks District Council's own, so every row is Sevenoaks'. -#}
with

source as (
    select * from {{ source('waste', 'missed_collections') }}
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
        placed.submission_id || ':' || placed.source_row as missed_collection_row_key,
        {{ home_area('district') }} as area_code,
        placed.quarter,
        left(placed.quarter, 7) as financial_year,
        cast(right(placed.quarter, 1) as integer) as quarter_number,
        placed.quarter_start,
        cast(placed.quarter_start + to_months(3) - to_days(1) as date) as quarter_end,
        placed.service,
        placed.collections_scheduled,
        placed.justified_missed_collections,
        placed.put_right_next_working_day,
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

{#- The One You quarterly return, a row per district and quarter, with the quarter placed
    as the council writes it (`2019/20 Q1`, April to June). -#}
with

source as (
    select * from {{ source('health', 'one_you') }}
),

placed as (
    select
        *,
        cast(
            make_date(cast(left(financial_year, 4) as integer), 4, 1)
            + to_months(3 * (cast(right(quarter, 1) as integer) - 1)) as date
        ) as quarter_start
    from source
),

renamed as (
    select
        placed.submission_id || ':' || placed.source_row as one_you_row_key,
        placed.financial_year,
        placed.quarter,
        placed.financial_year || ' ' || placed.quarter as period_id,
        placed.quarter_start,
        cast(placed.quarter_start + to_months(3) - to_days(1) as date) as quarter_end,
        placed.district_code as area_code,
        placed.district_name,
        placed.one_you_kent_referrals,
        placed.your_home_clients,
        placed.goals_set,
        placed.goals_achieved,
        placed.notes,
        placed.submission_id,
        placed.source_file,
        placed.source_sha256,
        placed.source_row,
        placed.loaded_at
    from placed
)

select * from renamed

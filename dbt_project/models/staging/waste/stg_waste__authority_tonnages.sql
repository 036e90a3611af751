{#- ENV18 rows, an authority and financial year each, typed and renamed. A release covers
    several years and a later release revises earlier ones: the source (the `accepted` view)
    holds, for each year, only the rows of the latest release that has it, as
    ledger.submission_periods records. -#}
with

source as (
    select * from {{ source('waste', 'env18_collected_waste') }}
),

renamed as (
    select
        source.submission_id || ':' || source.source_row as authority_tonnage_row_key,
        source.financial_year as financial_year_as_written,
        left(source.financial_year, 4) || '/' || right(source.financial_year, 2) as financial_year,
        make_date(cast(left(source.financial_year, 4) as integer), 4, 1) as year_start,
        make_date(cast(left(source.financial_year, 4) as integer) + 1, 3, 31) as year_end,
        source.region,
        source.ons_code,
        source.jpp_order,
        source.local_authority as authority_name,
        source.authority_type,
        source.authority_type in ('Collection', 'Disposal', 'Unitary') as is_waste_authority,
        source.total_collected_tonnes,
        source.household_total_tonnes,
        source.household_recycled_tonnes,
        source.household_dry_recycling_tonnes,
        source.household_green_recycling_tonnes,
        source.household_not_recycled_tonnes,
        source.household_regular_collection_not_recycled_tonnes,
        source.household_civic_amenity_not_recycled_tonnes,
        source.household_other_not_recycled_tonnes,
        source.household_rejects_tonnes,
        source.non_household_total_tonnes,
        source.non_household_recycled_tonnes,
        source.non_household_not_recycled_tonnes,
        source.non_household_rejects_tonnes,
        source.collected_recycled_tonnes,
        source.collected_not_recycled_tonnes,
        source.collected_rejects_tonnes,
        source.missing_columns,
        source.missing_columns is not null as has_missing_values,
        source.submission_id,
        source.source_file,
        source.source_sheet,
        source.source_sha256,
        source.source_row,
        source.loaded_at
    from source
)

select * from renamed

{#- Every return as its ReturnSpec declares it, written by the ingestion on every run. -#}
with

source as (
    select * from {{ source('ledger', 'returns') }}
),

renamed as (
    select
        return_name,
        source,
        partner,
        cadence,
        period_type,
        first_period_start,
        due_days_after_period_end,
        coverage
    from source
)

select * from renamed

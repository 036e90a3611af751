{#- The partners who each send their own file of a return several partners send. -#}
with

source as (
    select * from {{ source('ledger', 'return_senders') }}
),

renamed as (
    select
        return_name,
        partner,
        partner_slug
    from source
)

select * from renamed

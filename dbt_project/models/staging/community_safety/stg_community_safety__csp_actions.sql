with

source as (
    select * from {{ source('community_safety', 'csp_actions') }}
),

renamed as (
    select
        source.submission_id || ':' || source.source_row as csp_action_row_key,
        source.financial_year,
        source.action_ref,
        source.priority,
        source.action,
        source.lead_partner,
        source.status,
        source.status in ('Achieved', 'On target') as is_achieved_or_on_target,
        source.submission_id,
        source.source_file,
        source.source_sha256,
        source.source_row,
        source.loaded_at
    from source
)

select * from renamed

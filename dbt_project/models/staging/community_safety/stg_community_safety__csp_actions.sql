with

source as (
    select * from {{ source('community_safety', 'csp_actions') }}
),

submissions as (
    select * from {{ ref('stg_ledger__submissions') }}
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
        source.loaded_at,
        coalesce(submissions.is_current, false) as is_current_submission
    from source
    left join submissions
        on source.submission_id = submissions.submission_id
)

select * from renamed

with

source as (
    select * from {{ source('council', 'economic_development_actions') }}
),

renamed as (
    select
        source.submission_id || ':' || source.source_row as economic_development_action_key,
        source.financial_year,
        source.theme,
        source.action_ref,
        source.action,
        source.lead,
        source.rag_status,
        source.submission_id,
        source.source_file,
        source.source_sha256,
        source.source_row,
        source.loaded_at
    from source
)

select * from renamed

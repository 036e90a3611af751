with

source as (
    select * from {{ source('council', 'community_grants') }}
),

renamed as (
    select
        source.submission_id || ':' || source.source_row as community_grant_key,
        source.financial_year,
        source.organisation,
        lower(trim(source.organisation)) as organisation_key,
        source.project,
        source.priority,
        source.grant_pounds,
        source.targets_met,
        source.monitoring_note,
        source.submission_id,
        source.source_file,
        source.source_sha256,
        source.source_row,
        source.loaded_at
    from source
)

select * from renamed

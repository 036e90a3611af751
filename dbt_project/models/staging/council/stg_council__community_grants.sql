with

source as (
    select * from {{ source('council', 'community_grants') }}
),

submissions as (
    select * from {{ ref('stg_ledger__submissions') }}
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
        source.loaded_at,
        coalesce(submissions.is_current, false) as is_current_submission
    from source
    left join submissions
        on source.submission_id = submissions.submission_id
)

select * from renamed

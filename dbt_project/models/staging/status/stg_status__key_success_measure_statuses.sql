with

source as (
    select * from {{ source('status', 'key_success_measures') }}
),

submissions as (
    select * from {{ ref('stg_ledger__submissions') }}
),

renamed as (
    select
        source.submission_id || ':' || source.source_row as status_row_key,
        source.plan,
        source.ref,
        source.financial_year,
        source.status,
        source.commentary,
        source.completed_by,
        source.partner_slug,
        submissions.received_at,
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

with

source as (
    select * from {{ source('ledger', 'submissions') }}
),

renamed as (
    select
        submission_id,
        source,
        return_name,
        partner,
        period,
        file_path,
        source_file,
        sha256,
        file_size_bytes,
        received_at,
        status,
        reason,
        row_count,
        superseded_by,
        superseded_at,
        period_start,
        status = 'accepted' as is_current
    from source
)

select * from renamed

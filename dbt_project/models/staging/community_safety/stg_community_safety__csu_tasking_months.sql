with

source as (
    select * from {{ source('community_safety', 'csu_taskings') }}
),

renamed as (
    select
        source.submission_id || ':' || source.source_row as csu_tasking_month_key,
        source.financial_year,
        source.month_start,
        source.tasking_meetings,
        source.taskings_issued,
        source.follow_up_contacts,
        source.value_note,
        source.submission_id,
        source.source_file,
        source.source_sha256,
        source.source_row,
        source.loaded_at
    from source
)

select * from renamed

with

source as (
    select * from {{ source('status', 'key_success_measures') }}
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
        source.submission_id,
        source.source_file,
        source.source_sha256,
        source.source_row,
        source.loaded_at
    from source
)

select * from renamed

{#- GP care navigation, a row per practice and month, as the CCG returns it. -#}
with

source as (
    select * from {{ source('health', 'care_navigation') }}
),

renamed as (
    select
        source.submission_id || ':' || source.source_row as care_navigation_row_key,
        source.month_start,
        strftime(source.month_start, '%Y-%m') as period_id,
        source.financial_year,
        source.practice_code,
        source.practice_name,
        source.locality,
        source.interventions_offered,
        source.interventions_accepted,
        source.submission_id,
        source.source_file,
        source.source_sha256,
        source.source_row,
        source.loaded_at
    from source
)

select * from renamed

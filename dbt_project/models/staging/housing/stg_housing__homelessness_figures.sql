{#- One row per figure of the H-CLIC tables: the quarter in the council's words, the cell it
    came from, and whether its submission is the current one for that quarter. -#}
with

source as (
    select * from {{ source('housing', 'homelessness') }}
),

renamed as (
    select
        source.submission_id || ':' || source.table_id || '!' || source.source_column || source.source_row
            as homelessness_figure_key,
        source.quarter_start,
        last_day(source.quarter_start + interval 2 month) as quarter_end,
        {{ financial_year('source.quarter_start') }} as financial_year,
        {{ financial_year('source.quarter_start') }}
        || ' Q'
        || ((month(source.quarter_start) + 8) % 12 // 3 + 1)::varchar as quarter_id,
        source.table_id,
        source.area_code,
        source.area_name,
        source.status_marker,
        coalesce(source.status_marker = 'P', false) as is_provisional,
        source.figure_key,
        source.figure_label,
        source.figure,
        source.figure_note,
        source.submission_id,
        source.source_file,
        source.source_sha256,
        source.source_column,
        source.source_row,
        source.loaded_at
    from source
)

select * from renamed

{#- How many police records were placed in an area each month, and how many were not, so
    that unallocated records are reported rather than silently dropped. -#}
with

records as (
    select * from {{ ref('int_street_crimes_allocated') }}
),

summarised as (
    select
        strftime(month_start, '%Y-%m') as period_id,
        allocation_status,
        count(*) as record_count,
        min(submission_id) as submission_id
    from records
    group by all
)

select * from summarised

{#- The status each key success measure has for each financial year, from the current status
    returns, with the measure's wording and numbering for that year from the catalogue. When
    two partners return the same measure for the same year, the lead partner's status wins,
    then the latest submission. A ref the catalogue does not hold for that year is kept (with
    no wording), so that the test on key_success_measure finds it. -#}
with

statuses as (
    select * from {{ ref('stg_status__key_success_measure_statuses') }}
),

submissions as (
    select * from {{ ref('stg_ledger__submissions') }}
),

key_success_measures as (
    select * from {{ ref('key_success_measures') }}
),

partners as (
    select
        partner_slug,
        partner
    from {{ ref('stg_ledger__return_senders') }}
    where return_name = 'status__key_success_measures'
),

described as (
    select
        statuses.plan,
        statuses.ref,
        statuses.financial_year,
        key_success_measures.display_ref,
        key_success_measures.theme,
        key_success_measures.key_success_measure,
        key_success_measures.lead_partner,
        statuses.status,
        statuses.status in ('Achieved', 'On target') as is_achieved_or_on_target,
        statuses.commentary,
        statuses.completed_by,
        coalesce(partners.partner, statuses.partner_slug) as returned_by,
        coalesce(partners.partner = key_success_measures.lead_partner, false)
            as is_returned_by_lead_partner,
        statuses.submission_id,
        statuses.source_file,
        statuses.source_row,
        submissions.received_at
    from statuses
    inner join submissions
        on statuses.submission_id = submissions.submission_id
    left join key_success_measures
        on
            statuses.plan = key_success_measures.plan
            and statuses.ref = key_success_measures.ref
            and statuses.financial_year between key_success_measures.first_year
            and key_success_measures.last_year
    left join partners
        on statuses.partner_slug = partners.partner_slug
),

chosen as (
    select
        plan || '|' || ref || '|' || financial_year as key_success_measure_status_key,
        *
    from described
    qualify row_number() over (
        partition by plan, ref, financial_year
        order by is_returned_by_lead_partner desc, submission_id desc, source_row asc
    ) = 1
)

select * from chosen

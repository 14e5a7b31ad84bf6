{#- The contract's `customers` from the Zendesk users, in the raw table's shape: every user who is not an agent or
    admin, and every requester of a kept ticket (an agent who opened a ticket for himself is its customer). Segment
    and region come from the columns of the user's organization that the vars zendesk_customer_segment_column and
    zendesk_customer_region_column name (else null: unknown); country and plan are not in Zendesk. -#}
{%- set uses_organizations = (
    var('zendesk_customer_segment_column') or var('zendesk_customer_region_column')
) is not none -%}
with

users as (

    select * from {{ ref('base_zendesk__user') }}

),

tickets as (

    select * from {{ ref('stg_zendesk__tickets') }}

),

requesters as (

    select distinct customer_id from tickets

),

{% if uses_organizations %}
organizations as (

    select * from {{ ref('base_zendesk__organization') }}

),

{% endif %}
final as (

    select
        users.user_id as customer_id,
        users.created_at,
        {% if uses_organizations -%}
        organizations.segment,
        organizations.region,
        {%- else -%}
        cast(null as {{ dbt.type_string() }}) as segment,
        cast(null as {{ dbt.type_string() }}) as region,
        {%- endif %}
        cast(null as {{ dbt.type_string() }}) as country,
        cast(null as {{ dbt.type_string() }}) as plan,
        'zendesk.user' as _source_file,
        row_number() over (order by users.user_id) as _source_row
    from users
    left join requesters
        on users.user_id = requesters.customer_id
    {% if uses_organizations -%}
    left join organizations
        on users.organization_id = organizations.organization_id
    {%- endif %}
    where
        users.user_role not in ('agent', 'admin')
        or users.user_role is null
        or requesters.customer_id is not null

)

select * from final

{#- The connector's `organization` table: its id and the columns the vars zendesk_customer_segment_column and
    zendesk_customer_region_column name (null: none). Built only when one of them is set, so an account without
    the table, or a user without those vars, never reads it. No logic. -#}
{%- set segment_column = var('zendesk_customer_segment_column') -%}
{%- set region_column = var('zendesk_customer_region_column') -%}
{%- set no_value = 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
{%- set segment_sql = 'cast(' ~ adapter.quote(segment_column) ~ ' as ' ~ dbt.type_string() ~ ')' if segment_column else no_value -%}
{%- set region_sql = 'cast(' ~ adapter.quote(region_column) ~ ' as ' ~ dbt.type_string() ~ ')' if region_column else no_value -%}
{{ config(enabled=var('source', 'contract') == 'zendesk' and (segment_column or region_column) is not none) }}
with

source as (

    select * from {{ source('zendesk', 'organization') }}

),

renamed as (

    select
        -- ids
        cast(id as {{ dbt.type_string() }}) as organization_id,
        -- attributes
        {{ segment_sql }} as segment,
        {{ region_sql }} as region
    from source

),

final as (

    select * from renamed

)

select * from final

{#- kpi_catalog: one row per KPI of the registry, with whether its input
    tables were supplied (stg_table_inventory: the loader's table inventory). -#}
{%- set registry = kpi_registry() -%}
{%- set all_grains = ['day', 'week', 'month'] -%}
with

table_inventory as (

    select * from {{ ref('stg_table_inventory') }}

),

present_tables as (

    select table_name from table_inventory
    where is_present

),

registry as (

    {% for kpi in registry.kpis %}
    {%- set kpi_dimensions = ['all'] + (registry.dimension_sets[kpi.dimension_set] if kpi.dimension_set else []) %}
    select
        '{{ kpi.id }}' as kpi_id,
        '{{ dbt.escape_single_quotes(kpi.name) }}' as name,
        '{{ dbt.escape_single_quotes(kpi.section) }}' as section,
        '{{ dbt.escape_single_quotes(kpi.description) }}' as description,
        '{{ kpi.unit }}' as unit,
        '{{ kpi.direction }}' as direction,
        '{{ dbt.escape_single_quotes(kpi.attributed_by) }}' as attributed_by,
        '{{ (kpi.grains if kpi.grains is defined else all_grains) | join(",") }}' as grains,
        '{{ kpi_dimensions | join(",") }}' as dimensions,
        '{{ dbt.escape_single_quotes(kpi.formula) }}' as formula,
        '{{ kpi.required_tables | join(",") }}' as required_tables,
        {{ kpi.required_tables | length }} as required_table_count,
        {{ 'true' if (kpi.requires_var is not defined or var(kpi.requires_var)) else 'false' }} as is_switched_on,
        cast({{ loop.index }} as {{ dbt.type_bigint() }}) as catalog_order
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

availability as (

    select
        registry.kpi_id,
        count(present_tables.table_name) as present_table_count
    from registry
    left join present_tables
        on {{ dbt.position("',' || present_tables.table_name || ','", "',' || registry.required_tables || ','") }} > 0
    group by registry.kpi_id

),

final as (

    select
        registry.kpi_id,
        registry.name,
        registry.section,
        registry.description,
        registry.unit,
        registry.direction,
        registry.attributed_by,
        registry.grains,
        registry.dimensions,
        registry.formula,
        registry.required_tables,
        (
            availability.present_table_count = registry.required_table_count
            and registry.is_switched_on
        ) as is_available,
        registry.catalog_order
    from registry
    inner join availability
        on registry.kpi_id = availability.kpi_id

)

select * from final

{#- kpi_catalog: one row per KPI of the registry, with whether it can be
    computed and, when not, why: an input the run's source adapter cannot
    supply (the registry's source_gaps), its switch var turned off, or a
    required table not supplied (stg_table_inventory: the loader's inventory). -#}
{%- set registry = kpi_registry() -%}
{%- set source_gaps = registry.source_gaps.get(var('source', 'contract'), {}) -%}
{%- set gap_reason_sql = {} -%}
{%- for kpi in registry.kpis -%}
{%- set reasons = (kpi.needs if kpi.needs is defined else []) | select('in', source_gaps) | list -%}
{%- set reason_sql = "'" ~ dbt.escape_single_quotes(source_gaps[reasons | first]) ~ "'" if reasons else none -%}
{%- do gap_reason_sql.update({kpi.id: reason_sql or 'cast(null as ' ~ dbt.type_string() ~ ')'}) -%}
{%- endfor -%}
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
        {{ 'true' if (kpi.requires_var is not defined or var(kpi.requires_var)) else 'false' }} as is_switched_on,
        {{ gap_reason_sql[kpi.id] }} as source_gap_reason,
        '{{ kpi.get("requires_var", "") }}' as requires_var,
        cast({{ loop.index }} as {{ dbt.type_bigint() }}) as catalog_order
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

required_tables as (

    {% for kpi in registry.kpis %}
    {%- for table_name in kpi.required_tables %}
    select
        '{{ kpi.id }}' as kpi_id,
        '{{ table_name }}' as table_name
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

missing_tables as (

    select
        required_tables.kpi_id,
        {{ dbt.listagg('required_tables.table_name', "', '", 'order by required_tables.table_name') }} as table_names
    from required_tables
    left join present_tables
        on required_tables.table_name = present_tables.table_name
    where present_tables.table_name is null
    group by required_tables.kpi_id

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
            missing_tables.kpi_id is null
            and registry.is_switched_on
            and registry.source_gap_reason is null
        ) as is_available,
        case
            when registry.source_gap_reason is not null then registry.source_gap_reason
            when not registry.is_switched_on then 'Switched off by the dbt var ' || registry.requires_var || '.'
            when missing_tables.kpi_id is not null
                then 'Needs table(s) not supplied: ' || missing_tables.table_names || '.'
        end as unavailable_reason,
        registry.catalog_order
    from registry
    left join missing_tables
        on registry.kpi_id = missing_tables.kpi_id

)

select * from final

{#- This project's schemas by their plain names (staging, intermediate, config) instead of dbt's default
    <target>_<custom>; marts stay in the target schema.
    Installed as a package, dbt still calls this macro (not the installing project's) for this package's
    nodes. It hands over to the installing project's generate_schema_name, or dbt's default when it has none,
    so that the installing project decides where everything it builds goes, per target: two developers'
    targets must not share one `staging` schema. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if not is_root_project() -%}
        {%- set root_macros = context.get(project_name) or {} -%}
        {%- if 'generate_schema_name' in root_macros -%}
            {{ root_macros['generate_schema_name'](custom_schema_name, node) | trim }}
        {%- else -%}
            {{ default__generate_schema_name(custom_schema_name, node) | trim }}
        {%- endif -%}
    {%- elif custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

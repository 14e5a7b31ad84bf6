{#- The label of the bucket a duration falls in, e.g. '1–8 h'. Each bucket holds its lower bound and not its upper
    one (a first reply after exactly 1 hour is in '1–8 h'); the last is '> N unit'; a null duration has no bucket.
    The labels sort in bucket order. `bounds`: the upper bounds in `unit` ('h' or 'd'), ascending. -#}
{% macro duration_bucket(seconds_expression, bounds, unit) -%}
    {%- set seconds_per_unit = {'h': 3600, 'd': 86400}[unit] -%}
    case
        {%- for upper in bounds %}
        when {{ seconds_expression }} < {{ upper * seconds_per_unit }}
            then '{{ 0 if loop.first else bounds[loop.index0 - 1] }}–{{ upper }} {{ unit }}'
        {%- endfor %}
        when {{ seconds_expression }} >= {{ bounds[-1] * seconds_per_unit }} then '> {{ bounds[-1] }} {{ unit }}'
    end
{%- endmacro %}


{#- The order of a duration's bucket, 1 for the first: for charts and tables that sort by it. -#}
{% macro duration_bucket_order(seconds_expression, bounds, unit) -%}
    {%- set seconds_per_unit = {'h': 3600, 'd': 86400}[unit] -%}
    case
        {%- for upper in bounds %}
        when {{ seconds_expression }} < {{ upper * seconds_per_unit }} then {{ loop.index }}
        {%- endfor %}
        when {{ seconds_expression }} >= {{ bounds[-1] * seconds_per_unit }} then {{ bounds | length + 1 }}
    end
{%- endmacro %}

{#- Zendesk's `via_channel` as the contract's channel (the mapping of the sources spec). `column` is a lower-cased,
    trimmed text expression; a value outside every list, or null, is `other`. Prefixes and suffixes are compared as
    text, not with `like ... escape`: Spark reads a backslash in a literal as an escape of its own. -#}
{% macro zendesk_channel(column) -%}
    case
        when {{ column }} = 'email' then 'email'
        when {{ column }} in ('web', 'web_form', 'web_widget', 'help_center') then 'web'
        when {{ column }} in ('chat', 'chat_transcript', 'native_messaging') then 'chat'
        when {{ column }} = 'voice' or substr({{ column }}, 1, 6) in ('voice_', 'phone_')
            then 'phone'
        when {{ column }} in ('mobile', 'mobile_sdk', 'sdk', 'whatsapp', 'line', 'wechat', 'sms') then 'messaging'
        when {{ column }} in ('twitter', 'facebook', 'instagram_dm')
            or {{ dbt.right(column, 3) }} = '_dm' or {{ dbt.right(column, 5) }} = '_post'
            then 'social'
        else 'other'
    end
{%- endmacro %}


{#- A Zendesk ticket status as the contract's: `hold` is `on_hold`, the others are the same words (`deleted` never
    reaches it: deleted tickets are left out and a `deleted` status row ends a ticket's life). -#}
{% macro zendesk_status(column) -%}
    case when {{ column }} = 'hold' then 'on_hold' else {{ column }} end
{%- endmacro %}


{#- Who did it, from the Zendesk user's current role: agents and admins are `agent`; anyone else is `customer` when
    `unknown_is_customer` (comment authors: an end-user or an unknown user wrote it), else `system` for a change
    made by no known user (triggers, automations). -#}
{% macro zendesk_actor_type(role, unknown_is_customer) -%}
    case
        when {{ role }} in ('agent', 'admin') then 'agent'
        {%- if unknown_is_customer %}
        else 'customer'
        {%- else %}
        when {{ role }} in ('end-user', 'not set') then 'customer'
        else 'system'
        {%- endif %}
    end
{%- endmacro %}


{#- Minutes since local midnight (0..1440) as the contract's HH:MM text; 1440 is 24:00. -#}
{% macro zendesk_clock_time(minutes) -%}
    lpad(cast(cast(floor({{ minutes }} / 60) as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }}), 2, '0')
    || ':' || lpad(cast(cast(mod({{ minutes }}, 60) as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }}), 2, '0')
{%- endmacro %}


{#- The text of a key of a JSON object held in a text column (Zendesk's SLA target values), or null. -#}
{% macro json_key_text(column, key) -%}
    {{ return(adapter.dispatch('json_key_text', 'support_kpis')(column, key)) }}
{%- endmacro %}

{% macro default__json_key_text(column, key) -%}
    json_extract_path_text({{ column }}, '{{ key }}')
{%- endmacro %}

{% macro duckdb__json_key_text(column, key) -%}
    json_extract_string({{ column }}, '$.{{ key }}')
{%- endmacro %}

{% macro postgres__json_key_text(column, key) -%}
    (cast({{ column }} as json) ->> '{{ key }}')
{%- endmacro %}

{% macro spark__json_key_text(column, key) -%}
    get_json_object({{ column }}, '$.{{ key }}')
{%- endmacro %}

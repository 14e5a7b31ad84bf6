"""The loader behind `support-kpis load`: files in, typed raw tables and a quarantine out."""

from support_kpis.loading.folder import load_folder, load_zendesk_folder
from support_kpis.loading.quarantine import move_to_quarantine
from support_kpis.loading.report import LoadReport, TableLoad

__all__ = ["LoadReport", "TableLoad", "load_folder", "load_zendesk_folder", "move_to_quarantine"]

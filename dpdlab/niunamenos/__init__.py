"""The Ni Una Menos case (2015 →): diffusion model, network, views and widgets."""
from dpdlab.niunamenos.model import (NEIGHBOURS, WAVES, adoption_curve, bass_cumulative, bass_new, bass_peak_time,
                                     bridges, diffusion_links, diffusion_network, first_marches, first_responses,
                                     fit_bass, wave_table)
from dpdlab.niunamenos.text import FORMAL_KINDS
from dpdlab.niunamenos.views import (activity_chart, adoption_chart, bass_by_eye, country_report, crowd_chart,
                                     fit_by_eye, network_chart, online_offline, online_offline_chart, policy_chart,
                                     register_chart, timing_chart, timing_table)

__all__ = ["FORMAL_KINDS", "NEIGHBOURS", "WAVES", "activity_chart", "adoption_chart", "adoption_curve",
           "bass_by_eye", "bass_cumulative", "bass_new", "bass_peak_time", "bridges", "country_report",
           "crowd_chart", "diffusion_links", "diffusion_network", "first_marches", "first_responses", "fit_bass",
           "fit_by_eye", "network_chart", "online_offline", "online_offline_chart", "policy_chart",
           "register_chart", "timing_chart", "timing_table", "wave_table"]

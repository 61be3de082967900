"""The Ni Una Menos case (2015 →): diffusion model, network, views and widgets."""
# exports load on first use (why: dpdlab/catalog.py)
import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(__name__, submod_attrs={
    "analysis": ["NEIGHBOURS", "bridges", "diffusion_links", "diffusion_network", "first_marches",
                 "first_responses", "neighbours_from_metadata", "spread_by_neighbourhood"],
    "model": ["WAVES", "adoption_curve", "bass_checks", "bass_cumulative", "bass_new", "bass_peak_time", "data_scale",
              "fit_bass", "wave_table"],
    "text": ["FORMAL_KINDS"],
    "views": ["activity_chart", "adoption_chart", "bass_by_eye", "country_report", "crowd_chart", "fit_by_eye",
            "network_chart", "online_offline", "online_offline_chart", "policy_chart", "register_chart",
            "timing_chart", "timing_table"],
})

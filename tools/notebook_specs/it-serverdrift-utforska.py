# Cell specification for notebooks/it-serverdrift-utforska.ipynb: the e-strategist's interactive
# explorer (JupyterLab). Not a board report: it has no default build.
CELLS = [
    ("code", '''
save_path: str = "parametrar/it-serverdrift.yaml"  # Fil som knappen Spara parametrar skriver, relativt projektmappen
''', "parameters"),
    ("md", """
# Utforska scenarier för IT-serverdrift

Flytta reglagen för de viktigaste antagandena, välj parter och fördelningsnyckel: tabellerna under
reglagen räknas om direkt. Med **Spara parametrar** skrivs valen till en YAML-fil. Samma val blir
nämndens rapport med

    gns report it-serverdrift -f parametrar/it-serverdrift.yaml

Kör cellerna med *Run → Run All Cells* i JupyterLab.
"""),
    ("code", '''
from gnsanalysis.scenarios.widgets import build_explorer

build_explorer(save_path=save_path)
'''),
]

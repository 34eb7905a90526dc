"""ArchiMate's visual conventions as data: the colour of each layer, the outline of each kind of element, a small
type icon per element type, and the line style and end marks of each relationship type.

Kept apart from the drawing (`archimate_view`) so the notation can be read, and checked, in one place. The colours
are the ones ArchiMate tools use by default (Archi's palette); the icons are drawn on a 16 x 16 grid as SVG path
data, in the spirit of the specification's notation, not copied from any tool.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- layers and colours -----------------------------------------------------------------------------------------

_LAYER_TYPES: dict[str, tuple[str, ...]] = {
    "strategy": ("Resource", "Capability", "ValueStream", "CourseOfAction"),
    "business": (
        "BusinessActor", "BusinessRole", "BusinessCollaboration", "BusinessInterface", "BusinessProcess",
        "BusinessFunction", "BusinessInteraction", "BusinessEvent", "BusinessService", "BusinessObject", "Contract",
        "Representation", "Product",
    ),
    "application": (
        "ApplicationComponent", "ApplicationCollaboration", "ApplicationInterface", "ApplicationFunction",
        "ApplicationInteraction", "ApplicationProcess", "ApplicationEvent", "ApplicationService", "DataObject",
    ),
    "technology": (
        "Node", "Device", "SystemSoftware", "TechnologyCollaboration", "TechnologyInterface", "Path",
        "CommunicationNetwork", "TechnologyFunction", "TechnologyProcess", "TechnologyInteraction", "TechnologyEvent",
        "TechnologyService", "Artifact",
    ),
    "physical": ("Equipment", "Facility", "DistributionNetwork", "Material"),
    "motivation": (
        "Stakeholder", "Driver", "Assessment", "Goal", "Outcome", "Principle", "Requirement", "Constraint", "Meaning",
        "Value",
    ),
    "implementation": ("WorkPackage", "Deliverable", "ImplementationEvent"),
    "migration": ("Plateau", "Gap"),
    "location": ("Location",),
    "grouping": ("Grouping",),
    "junction": ("AndJunction", "OrJunction", "Junction"),
}  # fmt: skip
LAYER_OF: dict[str, str] = {t: layer for layer, types in _LAYER_TYPES.items() for t in types}

LAYER_FILL: dict[str, str] = {
    "strategy": "#f5deaa",
    "business": "#ffffb5",
    "application": "#b5ffff",
    "technology": "#c9e7b7",
    "physical": "#c9e7b7",
    "motivation": "#ccccff",
    "implementation": "#ffe0e0",
    "migration": "#e0ffe0",
    "location": "#fbb875",
    "grouping": "none",
    "junction": "#000000",
    "other": "#ffffff",
}
CONTAINER_FILL = "#d2d7d7"  # a view's own grouping box (a Container node that stands for no element)
NOTE_FILL = "#ffffff"  # a Label node: a note or free text
LINE = "#5c5c5c"
RELATION_LINE = "#000000"


def layer_of(element_type: str | None) -> str:
    return LAYER_OF.get(element_type or "", "other")


# --- outlines ----------------------------------------------------------------------------------------------------

_BEHAVIOUR_ENDINGS = ("Process", "Function", "Interaction", "Event")
_ROUNDED = {"ValueStream", "Capability", "CourseOfAction", "WorkPackage"}


def outline_of(element_type: str | None) -> str:
    """How the box of an element is drawn: junction, grouping, service (a stadium), rounded (behaviour), cut
    (motivation: bevelled corners) or box (structure: square corners)."""
    kind = element_type or ""
    layer = layer_of(kind)
    if layer in ("junction", "grouping"):
        return layer
    if kind.endswith("Service"):
        return "service"
    if kind.endswith(_BEHAVIOUR_ENDINGS) or kind in _ROUNDED:
        return "rounded"
    if layer == "motivation":
        return "cut"
    return "box"


# --- icons (16 x 16 grid) ----------------------------------------------------------------------------------------


def _circle(cx: float, cy: float, r: float) -> str:
    return f"M{cx - r:g} {cy:g} a{r:g} {r:g} 0 1 0 {2 * r:g} 0 a{r:g} {r:g} 0 1 0 {-2 * r:g} 0 Z"


_ICON_SHAPES: dict[str, str] = {
    "actor": _circle(8, 3.5, 2.5) + " M8 6 V11 M3.5 8 H12.5 M8 11 L4.5 15.5 M8 11 L11.5 15.5",
    "role": "M5 3 H12 M5 13 H12 M5 3 a2.5 5 0 0 0 0 10 M12 3 a2.5 5 0 1 1 0 10 a2.5 5 0 1 1 0 -10",
    "collaboration": _circle(6, 8, 4.5) + " " + _circle(10, 8, 4.5),
    "interface": _circle(11, 8, 3.5) + " M1 8 H7.5",
    "process": "M1 6 H9.5 V2.5 L15 8 L9.5 13.5 V10 H1 Z",
    "function": "M2 6 L8 2 L14 6 V15 L8 11 L2 15 Z",
    "interaction": "M7 3 a5 5 0 0 0 0 10 Z M9 3 a5 5 0 0 1 0 10 Z",
    "event": "M1 4 H11 a4 4 0 0 1 0 8 H1 L4 8 Z",
    "service": "M5 4 H11 a4 4 0 0 1 0 8 H5 a4 4 0 0 1 0 -8 Z",
    "object": "M1 3 H15 V13 H1 Z M1 6 H15",
    "contract": "M1 3 H15 V13 H1 Z M1 6 H15 M1 10 H15",
    "representation": "M1 3 H15 V12 Q11.5 9 8 12 T1 12 Z M1 6 H15",
    "product": "M1 3 H15 V13 H1 Z M1 6 H8 V3",
    "component": "M4 2 H15 V14 H4 Z M1 4 H7 V7 H1 Z M1 9 H7 V12 H1 Z",
    "node": "M1 5 H11 V15 H1 Z M1 5 L5 1 H15 L11 5 M15 1 V11 L11 15",
    "device": "M2 2 H14 V10 H2 Z M5 14 H11 M8 10 V14",
    "system-software": _circle(7, 9, 5.5) + " M5.5 3.5 a5.5 5.5 0 1 1 7 7",
    "path": "M4 5 L1 8 L4 11 M12 5 L15 8 L12 11 M5 8 H11",
    "network": "M3 5 L1 11 M15 5 L13 11 M3 5 H15 M1 11 H13",
    "artifact": "M3 1 H10 L14 5 V15 H3 Z M10 1 V5 H14",
    "equipment": _circle(6, 10, 4) + " " + _circle(11.5, 4.5, 3),
    "facility": "M1 15 V3 H4 V9 L8 6 V9 L12 6 V9 L15 6 V15 Z",
    "distribution": "M1 6 H15 M1 10 H15 M4 3 L1 6 L4 9 M12 7 L15 10 L12 13",
    "material": "M5 2 H11 L15 8 L11 14 H5 L1 8 Z",
    "capability": "M1 15 H15 V3 H11 V7 H6 V11 H1 Z",
    "value-stream": "M1 3 H11 L15 8 L11 13 H1 L5 8 Z",
    "resource": "M1 4 H13 V12 H1 Z M13 6 H15 V10 H13 M4 4 V12 M7 4 V12",
    "course-of-action": _circle(10, 6, 4) + " " + _circle(10, 6, 1.5) + " M1 15 L7 9",
    "driver": _circle(8, 8, 5) + " M8 1 V15 M1 8 H15 M3 3 L13 13 M13 3 L3 13",
    "assessment": _circle(6, 6, 4.5) + " M9.5 9.5 L15 15",
    "goal": _circle(8, 8, 6.5) + " " + _circle(8, 8, 4) + " " + _circle(8, 8, 1.5),
    "outcome": _circle(7, 9, 6) + " " + _circle(7, 9, 3) + " M7 9 L15 1 M11 1 H15 V5",
    "principle": "M2 2 H14 V14 H2 Z M8 4 V10 M8 12 V12.5",
    "requirement": "M4 3 H15 L12 13 H1 Z",
    "constraint": "M4 3 H15 L12 13 H1 Z M7 3 L4 13",
    "meaning": "M4 12 a3 3 0 0 1 0 -6 a4 4 0 0 1 8 0 a3 3 0 0 1 0 6 Z",
    "value": "M1 8 a7 4.5 0 1 0 14 0 a7 4.5 0 1 0 -14 0 Z",
    "work-package": "M12 5 a5 5 0 1 0 1 6 M12 1 V5 H8",
    "deliverable": "M1 3 H15 V12 Q11.5 9 8 12 T1 12 Z",
    "plateau": "M4 4 H15 M2 8 H13 M1 12 H11",
    "gap": _circle(8, 8, 5) + " M1 6 H15 M1 10 H15",
    "location": "M8 15 L3.5 8 a5 5 0 1 1 9 0 Z",
}
_ICON_OF_TYPE: dict[str, str] = {
    "BusinessActor": "actor",
    "BusinessRole": "role",
    "Stakeholder": "role",
    "Contract": "contract",
    "Representation": "representation",
    "Product": "product",
    "BusinessObject": "object",
    "DataObject": "object",
    "ApplicationComponent": "component",
    "Node": "node",
    "Device": "device",
    "SystemSoftware": "system-software",
    "Path": "path",
    "CommunicationNetwork": "network",
    "Artifact": "artifact",
    "Equipment": "equipment",
    "Facility": "facility",
    "DistributionNetwork": "distribution",
    "Material": "material",
    "Capability": "capability",
    "ValueStream": "value-stream",
    "Resource": "resource",
    "CourseOfAction": "course-of-action",
    "Driver": "driver",
    "Assessment": "assessment",
    "Goal": "goal",
    "Outcome": "outcome",
    "Principle": "principle",
    "Requirement": "requirement",
    "Constraint": "constraint",
    "Meaning": "meaning",
    "Value": "value",
    "WorkPackage": "work-package",
    "Deliverable": "deliverable",
    "ImplementationEvent": "event",
    "Plateau": "plateau",
    "Gap": "gap",
    "Location": "location",
}
_ICON_OF_ENDING = (
    ("Collaboration", "collaboration"),
    ("Interface", "interface"),
    ("Process", "process"),
    ("Function", "function"),
    ("Interaction", "interaction"),
    ("Event", "event"),
    ("Service", "service"),
)
ICON_SIZE = 16


def icon_of(element_type: str | None) -> tuple[str, str] | None:
    """The icon's name and its path data on the 16 x 16 grid, or None (groupings, junctions, unknown types)."""
    kind = element_type or ""
    name = _ICON_OF_TYPE.get(kind)
    if name is None:
        name = next((icon for ending, icon in _ICON_OF_ENDING if kind.endswith(ending)), None)
    return (name, _ICON_SHAPES[name]) if name is not None else None


# --- relationships -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineStyle:
    """How a relationship is drawn: the dash pattern (None: solid) and the mark at each end (None: nothing)."""

    dash: str | None = None
    source_end: str | None = None
    target_end: str | None = None


DASHED, DOTTED = "6 4", "2 3"
RELATIONSHIP_STYLE: dict[str, LineStyle] = {
    "Composition": LineStyle(source_end="diamond-filled"),
    "Aggregation": LineStyle(source_end="diamond-hollow"),
    "Assignment": LineStyle(source_end="dot", target_end="arrow-filled"),
    "Realization": LineStyle(dash=DASHED, target_end="triangle-hollow"),
    "Serving": LineStyle(target_end="arrow-open"),
    "Access": LineStyle(dash=DOTTED, target_end="arrow-small"),
    "Influence": LineStyle(dash=DASHED, target_end="arrow-open"),
    "Triggering": LineStyle(target_end="arrow-filled"),
    "Flow": LineStyle(dash=DASHED, target_end="arrow-filled"),
    "Specialization": LineStyle(target_end="triangle-hollow"),
    "Association": LineStyle(),
}
PLAIN = LineStyle()


def line_style(relationship_type: str | None, access_type: str | None = None, directed: bool | None = None):
    """The LineStyle of a relationship; Access follows its access type (the arrow shows which way data goes:
    towards the object for Write, towards the behaviour for Read), a directed Association gets a half arrow."""
    style = RELATIONSHIP_STYLE.get(relationship_type or "", PLAIN)
    if relationship_type == "Access":
        kind = access_type or "Write"
        return LineStyle(
            dash=DOTTED,
            source_end="arrow-small" if kind in ("Read", "ReadWrite") else None,
            target_end="arrow-small" if kind in ("Write", "ReadWrite") else None,
        )
    if relationship_type == "Association" and directed:
        return LineStyle(target_end="half-arrow")
    return style

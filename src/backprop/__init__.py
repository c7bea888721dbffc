"""backprop: error backpropagation and gradient descent, as the book derives them.

>>> from backprop import Network
>>> net = Network([2, 3, 1], activations=["tanh", "sigmoid"], loss="sse", seed=0)
>>> [W.shape for W in net.weights]
[(2, 3), (3, 1)]
"""

from .activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, Activation, get_activation
from .gradcheck import gradient_check, numerical_gradients, relative_error
from .history import History
from .losses import LOSSES, get_loss
from .network import BackwardPass, ForwardPass, Network
from .training import fit

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "HIDDEN_ACTIVATIONS",
    "LOSSES",
    "Activation",
    "BackwardPass",
    "ForwardPass",
    "History",
    "Network",
    "__version__",
    "get_activation",
    "get_loss",
    "gradient_check",
    "numerical_gradients",
    "fit",
    "relative_error",
]

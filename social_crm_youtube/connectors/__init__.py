from .youtube import YoutubeApiError, YoutubeConnector

"""Right of access: a contact's social data as one JSON file, built when it is downloaded."""
from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import content_disposition, request


class SocialDataController(http.Controller):

    @http.route("/social_crm/partner/<int:partner_id>/social_data", type="http", auth="user", methods=["GET"])
    def social_data(self, partner_id):
        partner = request.env["res.partner"].browse(partner_id).exists()
        if not partner:
            raise NotFound()
        try:
            partner.check_access("read")
            partner._check_social_manager()
        except AccessError as error:
            raise Forbidden(str(error)) from None
        # sudo: the export covers every record about the contact, in every company; managers only
        data = partner.sudo()._social_export_data()
        filename = f"social-data-{partner.id}.json"
        return request.make_json_response(data, headers=[("Content-Disposition", content_disposition(filename))])
